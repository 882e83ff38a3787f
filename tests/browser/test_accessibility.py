#!/usr/bin/env python3
"""Every main page of the console through axe-core in real Chromium: no serious or critical
violation. Each page is filled with data first (requests with a photo, a map and a history, a
citizen update awaiting moderation), and a screenshot of it is written to --out: the images of
docs/staff-console.md come from here."""

import console_harness as h


class Accessibility(h.ConsoleTest):
    def check(self, name):
        """Runs axe-core on the page, writes its screenshot, and reports what axe found."""
        self.wait().until(lambda b: b.execute_script("return document.readyState") == "complete")
        problems = self.accessibility_problems()
        self.screenshot(name)
        return ["%s: %s (%s) at %s" % (name, p["id"], p["impact"], p["nodes"]) for p in problems]

    def test_main_pages_have_no_serious_violations(self):
        server = self.server
        first = server.submit(
            "Syvä kuoppa ajoradalla, pyöräilijät väistävät vastaantulevien kaistalle",
            photo_png=h.photo(),
            address_string="Mannerheimintie 5, Helsinki",
        )
        second = server.submit("Katuvalo vilkkuu koko yön", address_string="Fredrikinkatu 20")
        third = server.submit("Puiston roska-astiat ovat täynnä", address_string="Esplanadi")
        for i in range(3):
            server.submit("Jäinen jalkakäytävä %d" % (i + 1), address_string="Hämeentie %d" % (i + 1))

        problems = []
        self.load_axe_on_every_page()
        self.open("/staff/login")
        problems += self.check("login")
        self.sign_in()

        # Publish two from the queue (bulk) so the public API and the dashboard have something.
        for request_id in (second, third):
            self.find('input[type=checkbox][value="%s"]' % request_id).click()
        self.button("Publish selected").click()
        self.wait().until(lambda b: self.flash() == "Published.")  # swapped in by htmx
        problems += self.check("queue")

        server.post_update(second, "Valo vilkkuu yhä, nyt myös viereinen")
        self.open("/staff/updates")
        self.assertEqual(len(self.find_all("#bulk table tbody tr")), 1)
        problems += self.check("updates")

        # The request page: photo, map, attributes, and a history with a note.
        self.open("/staff/requests/" + first)
        self.find("#internal_note").send_keys("Pyydetty katutiimiltä arvio.")
        self.button("Save").click()
        self.wait().until(lambda b: self.flash() == "Saved.")
        self.until_visible("#map .leaflet-marker-icon")
        self.assertEqual(len(self.find_all("ul.photos img")), 1)
        problems += self.check("request")

        self.open("/staff/dashboard")
        problems += self.check("dashboard")
        self.open("/staff/admin/users")
        problems += self.check("admin-users")
        self.open("/staff/settings")
        problems += self.check("settings")
        self.open("/staff/admin/services")
        problems += self.check("admin-services")
        self.open("/staff/admin/services/" + h.SERVICE)
        problems += self.check("admin-service")

        # A new key: its secret shown once.
        self.open("/staff/admin/keys")
        self.find("#key-name").send_keys("kaupunki-app-2027")
        self.find("#key-expires").send_keys("12312027")
        self.button("Create key").click()
        self.wait().until(lambda b: b.find_elements(h.By.ID, "secret"))
        self.assertTrue(self.find("#secret").text.startswith("o311_"))
        problems += self.check("admin-keys")

        self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    h.main()
