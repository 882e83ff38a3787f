// The demo initiatives: a small set that shows every field of the API. They are read through
// the import format and saved through the same change function as a real import.
#include "initiatives/demo.hpp"

#include "initiatives/changes.hpp"
#include "initiatives/import_format.hpp"

#include <set>
#include <stdexcept>
#include <string_view>

namespace open311::initiatives {
namespace {

// The people are invented.
constexpr std::string_view kDemo = R"json({"initiatives": [
  {"id": 1, "name": "Lisää penkkejä Esplanadin puistoon",
   "proposal": "Ehdotamme, että Esplanadin puistoon lisätään kymmenen penkkiä.",
   "type": "COLLABORATIVE", "municipality": 91, "state": "PUBLISHED", "fix_state": "OK",
   "publish_date": "2026-03-01", "sent_date": null,
   "participants": {"total": 120, "public": 80, "residents": 110, "external": 15},
   "authors": [{"name": "Maija Meikäläinen", "municipality": 91, "public": true},
               {"name": "Piilotettu Tekijä", "municipality": 49, "public": false}]},
  {"id": 2, "name": "Katuvalot Tapiolan kävelytielle",
   "proposal": "Tapiolan kävelytie on pimeä; sille tarvitaan katuvalot.",
   "type": "SINGLE", "municipality": 49, "state": "PUBLISHED", "fix_state": "OK",
   "publish_date": "2026-01-15", "sent_date": "2026-02-01",
   "participants": {"total": 0, "public": 0, "residents": 0, "external": 0},
   "authors": [{"name": "Matti Virtanen", "municipality": 49, "public": true}]},
  {"id": 3, "name": "Maksuton joukkoliikenne nuorille",
   "proposal": "Alle 18-vuotiaiden joukkoliikenne on tehtävä maksuttomaksi.",
   "type": "COLLABORATIVE_CITIZEN", "municipality": 837, "state": "PUBLISHED", "fix_state": "OK",
   "publish_date": "2025-11-20", "sent_date": "2026-04-10",
   "participants": {"total": 2400, "public": 1500, "residents": 2300, "external": 350},
   "authors": [{"name": "Liisa Korhonen", "municipality": 837, "public": true},
               {"name": "Erik Lindqvist", "municipality": null, "public": true}]},
  {"id": 4, "name": "Koirapuisto Kallioon",
   "proposal": "Luonnos: koirapuisto Kallion kaupunginosaan.",
   "type": "COLLABORATIVE", "municipality": 91, "state": "DRAFT", "fix_state": "OK",
   "publish_date": null, "sent_date": null,
   "participants": {"total": 0, "public": 0, "residents": 0, "external": 0},
   "authors": [{"name": "Kalle Luonnos", "municipality": 91, "public": true}]},
  {"id": 5, "name": "Uimahallin aukioloajat",
   "proposal": "Uimahallin on oltava auki myös sunnuntaisin.",
   "type": "COLLABORATIVE", "municipality": 92, "state": "PUBLISHED", "fix_state": "FIX",
   "publish_date": "2026-02-10", "sent_date": null,
   "participants": {"total": 40, "public": 10, "residents": 35, "external": 0},
   "authors": [{"name": "Korjattava Kirjoittaja", "municipality": 92, "public": true}]},
  {"id": 6, "name": "Fler cykelställ vid Åbo domkyrka",
   "proposal": "Vi föreslår fler cykelställ vid domkyrkan.",
   "type": "COLLABORATIVE", "municipality": 853, "state": "PUBLISHED", "fix_state": "OK",
   "publish_date": "2026-05-05", "sent_date": null,
   "participants": {"total": 12, "public": 3, "residents": 10, "external": 0},
   "authors": [{"name": "Åsa Ek", "municipality": 853, "public": true},
               {"name": "Dold Författare", "municipality": 853, "public": false}]}
]})json";

}  // namespace

std::size_t load_demo_initiatives(Store& store) {
    if (store.count_initiatives() > 0) {
        return 0;
    }
    std::set<int> known;
    for (const auto& m : store.list_municipalities()) {
        known.insert(m.code);
    }
    auto file = read_import_file(kDemo, known);
    if (!file.errors.empty()) {
        throw std::logic_error("demo initiatives: " + file.errors.front());
    }
    for (const auto& i : file.initiatives) {
        save_initiative(store, i, "demo");
    }
    return file.initiatives.size();
}

}  // namespace open311::initiatives
