#include "seed/generator.hpp"

#include "util/random.hpp"
#include "util/text.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

namespace open311::seed {
namespace {

// Sentences are put together from parts like those of real Helsinki feedback: where, what
// is wrong, since when, and what the writer asks for.
constexpr std::array<std::string_view, 12> kOpenings = {
    "Hei! ",
    "Hyvä vastaanottaja, ",
    "Huomasin tänään, että ",
    "Haluaisin ilmoittaa, että ",
    "Kävin aamulla kävelyllä ja ",
    "Asukkaana toivon, että asiaan puututaan: ",
    "",
    "",
    "Moi, ",
    "Ilmoitan vaaratilanteesta: ",
    "Olen jo aiemmin antanut palautetta samasta asiasta, mutta ",
    "Tervehdys! ",
};
constexpr std::array<std::string_view, 16> kProblems = {
    "puiston roska-astia on ollut täynnä jo viikon ajan ja roskat lentävät ympäriinsä",
    "katuvalo ei toimi ja koko kevyen liikenteen väylä on iltaisin täysin pimeä",
    "jalkakäytävällä on syvä kuoppa, johon pyöräilijä voi helposti kaatua",
    "leikkipuiston keinu on rikki ja siitä törröttää teräviä metalliosia",
    "pyörätie on jäinen eikä sitä ole hiekoitettu lainkaan",
    "bussipysäkin katoksen lasi on rikottu ja sirpaleita on maassa",
    "liikennevalot vaihtuvat jalankulkijoille niin nopeasti, ettei ikäihminen ehdi yli",
    "kadun varteen on hylätty vanha sohva ja useita jätesäkkejä",
    "puistonpenkki on maalattu graffiteilla ja sitä on mahdoton käyttää",
    "lumi on aurattu suojatien eteen korkeaksi valliksi",
    "koirapuiston portti ei mene kiinni, joten koirat pääsevät karkuun",
    "kaatunut puu tukkii ulkoilureitin kokonaan",
    "rakennustyömaan aidat ovat kaatuneet ajoradalle",
    "vesiaiheen pumppu on rikki ja allas haisee pahalle",
    "pysäköidyt autot tukkivat pelastustien joka ilta",
    "uimarannan pukukopin ovi on irti saranoistaan",
};
constexpr std::array<std::string_view, 10> kSince = {
    ". Tilanne on jatkunut jo useamman päivän.",
    ". Ongelma on toistunut joka viikko koko kevään ajan.",
    ". Sama asia oli täällä myös viime vuonna.",
    ".",
    ". Asiasta on valitettu taloyhtiön kokouksessakin.",
    ", ja moni naapuri on huomannut saman asian.",
    ". Lapset kulkevat tästä päivittäin kouluun.",
    ". Paikalla liikkuu paljon vanhuksia ja lastenvaunuja.",
    ".",
    ". Liitän mukaan kuvauksen paikasta, jotta se on helppo löytää.",
};
constexpr std::array<std::string_view, 10> kRequests = {
    " Voisitteko korjata asian mahdollisimman pian?",
    " Toivon, että joku tulee katsomaan paikan.",
    " Kiitos jo etukäteen!",
    " Pyydän ilmoittamaan, milloin asia on hoidettu.",
    "",
    " Tämä on vaarallista, joten asia pitäisi hoitaa kiireellisesti.",
    " Olisi hienoa, jos tilanne saataisiin kuntoon ennen viikonloppua.",
    " Kiitos hyvästä työstä muuten!",
    " Onko tähän tulossa pysyvä ratkaisu?",
    "",
};
constexpr std::array<std::string_view, 16> kStreets = {
    "Mannerheimintie",
    "Hämeentie",
    "Mechelininkatu",
    "Itäväylä",
    "Helsinginkatu",
    "Fredrikinkatu",
    "Sörnäisten rantatie",
    "Kustaankatu",
    "Lauttasaarentie",
    "Munkkiniemen puistotie",
    "Kulosaarentie",
    "Vuosaarentie",
    "Tapulikaupungintie",
    "Pihlajamäentie",
    "Kivikonkaari",
    "Siltasaarenkatu",
};
constexpr std::array<std::string_view, 8> kZipcodes = {
    "00100",
    "00530",
    "00250",
    "00200",
    "00330",
    "00980",
    "00700",
    "00920",
};
// Detailed values from detailed_status_values(); each closed one includes a closing value.
constexpr std::array<std::string_view, 5> kClosedStatuses = {
    "PROCESSED",
    "PUBLIC_WORKS_COMPLETED,PROCESSED",
    "REJECTED",
    "IN_PROCESS,PROCESSED",
    "ARCHIVED",
};
constexpr std::array<std::string_view, 4> kOpenStatuses = {
    "RECEIVED",
    "IN_PROCESS",
    "PUBLIC_WORKS_NEW",
    "IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS",
};
constexpr std::array<std::string_view, 4> kNotes = {
    "Asia on välitetty kunnossapidolle.",
    "Kiitos palautteesta. Korjaus on tehty.",
    "",
    "Asia on tiedossa ja se korjataan kevään aikana.",
};

}  // namespace

Generator::Generator(std::vector<std::string> service_codes,
                     Timestamp now,
                     std::uint64_t seed,
                     Area area,
                     Timestamp span_seconds)
    : codes_(std::move(service_codes)), now_(now), state_(seed), area_(area), span_(span_seconds) {
    if (codes_.empty()) {
        throw std::invalid_argument("the catalogue has no active service to seed requests for");
    }
}

// splitmix64: fast, and plenty random for test data.
std::uint64_t Generator::random() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

double Generator::uniform() {
    return static_cast<double>(random() >> 11U) * 0x1.0p-53;
}

std::size_t Generator::below(std::size_t n) {
    return static_cast<std::size_t>(random() % n);
}

std::string Generator::description() {
    std::string text;
    text.reserve(512);
    // One to three complaints, as people often bundle what they saw on one walk.
    const std::size_t complaints = 1 + below(3);
    for (std::size_t i = 0; i < complaints; ++i) {
        if (i > 0) {
            text += ' ';
        }
        auto opening = kOpenings[below(kOpenings.size())];
        auto problem = kProblems[below(kProblems.size())];
        text += opening;
        if (opening.empty() || opening.back() != ' ' || opening.ends_with("! ")) {
            // A sentence of its own starts with a capital (the first letters are ASCII).
            std::string sentence(problem);
            sentence[0] = static_cast<char>(sentence[0] - 'a' + 'A');
            text += sentence;
        } else {
            text += problem;
        }
        text += kSince[below(kSince.size())];
    }
    text += kRequests[below(kRequests.size())];
    return text;
}

ServiceRequest Generator::next() {
    ServiceRequest r;
    r.id = random_id(20);
    r.service_code = codes_[below(codes_.size())];
    r.state = ModerationState::published;
    r.description = description();
    r.title = shorten(r.description, 60);
    r.requested_at = now_ - static_cast<Timestamp>(uniform() * static_cast<double>(span_));
    // Older feedback has mostly been handled; the last weeks' mostly not.
    const double age_days = static_cast<double>(now_ - r.requested_at) / 86400.0;
    const double closed_share = age_days > 60 ? 0.9 : age_days / 60.0 * 0.9;
    const bool closed = uniform() < closed_share;
    r.status = closed ? "closed" : "open";
    r.detailed_status = std::string(closed ? kClosedStatuses[below(kClosedStatuses.size())]
                                           : kOpenStatuses[below(kOpenStatuses.size())]);
    r.status_notes = std::string(kNotes[below(kNotes.size())]);
    r.agency_responsible = "Kaupunkiympäristön toimiala";
    // Handled within 30 days, and never after now: the last change is spread like the
    // requests themselves (a changeset poll for the last day finds a day's worth).
    const auto age = now_ - r.requested_at;
    const auto handled = static_cast<Timestamp>(
        uniform() * static_cast<double>(std::min<Timestamp>(age, 30 * 86400)));
    r.updated_at = r.requested_at + handled;
    r.lat = area_.min_lat + uniform() * (area_.max_lat - area_.min_lat);
    r.lon = area_.min_lon + uniform() * (area_.max_lon - area_.min_lon);
    r.address =
        std::string(kStreets[below(kStreets.size())]) + " " + std::to_string(1 + below(120));
    r.zipcode = std::string(kZipcodes[below(kZipcodes.size())]);
    r.can_be_published = true;
    r.api_key_name = "seed";
    return r;
}

}  // namespace open311::seed
