#!/usr/bin/env python3
"""The console's partial updates in real Chromium, with the mouse: publishing from the queue
replaces its rows and the counts per state in place (a marker set on the page's window is still
there: no page was loaded), a citizen update handled on its page leaves the list the same way,
and a status saved over someone else's change shows the conflict and the current state in place.
test_moderation_flow.py runs the same actions with JavaScript off."""

import console_harness as h


class PartialUpdates(h.ConsoleTest):
    def signed_in(self):
        """Signs in unless an earlier test of this file already did (one browser for all)."""
        self.open("/staff/")
        if "/staff/login" in self.browser.current_url:
            self.sign_in()

    def counts(self):
        return {c.get_attribute("data-state"): c.text for c in self.find_all("nav.tabs .count")}

    def test_queue_publish_updates_the_rows_without_a_page_load(self):
        first = self.server.submit("Liikennevalo vilkkuu keltaista")
        second = self.server.submit("Puu kaatunut pyörätielle")
        self.signed_in()
        self.open("/staff/requests?state=pending")
        self.assertEqual(self.queue_ids()[:2], [second, first])
        before = self.counts()
        self.mark_page()

        self.find('tr[data-id="%s"] input[type=checkbox]' % first).click()
        self.button("Publish selected").click()
        self.wait().until(lambda b: first not in self.queue_ids())
        self.assertTrue(self.page_kept())
        self.assertEqual(self.flash(), "Published.")
        self.assertIn(second, self.queue_ids())
        after = self.counts()
        self.assertEqual(int(after["pending"]), int(before["pending"]) - 1)
        self.assertEqual(int(after["published"]), int(before["published"]) + 1)
        self.assertEqual(after["all"], before["all"])
        self.assertIn(first, self.server.public_ids())
        self.assertTrue(self.browser.current_url.startswith(self.server.base + "/staff/"))
        self.assertNotIn("done=", self.browser.current_url)

    def test_citizen_update_leaves_the_list_in_place(self):
        request = self.server.submit("Kaivon kansi puuttuu")
        self.signed_in()
        self.open("/staff/requests/" + request)
        self.button("Publish").click()
        self.wait().until(lambda b: self.state_shown() == "Published")
        self.server.post_update(request, "Kansi puuttuu yhä.")
        self.server.post_update(request, "Nyt siinä on kartio.")
        self.open("/staff/updates")
        rows = self.find_all("table.queue tbody tr")
        self.assertEqual(len(rows), 2)
        handled = rows[0].get_attribute("data-id")
        published = rows[0].find_elements(h.By.CSS_SELECTOR, "td")[4].text
        self.mark_page()
        self.button("Publish", rows[0]).click()
        self.wait().until(
            lambda b: handled not in [r.get_attribute("data-id") for r in self.find_all("table.queue tbody tr")]
        )
        self.assertEqual(len(self.find_all("table.queue tbody tr")), 1)
        self.assertEqual(self.flash(), "Published.")
        self.assertTrue(self.page_kept())
        status, feed = self.server.get_json("/servicerequestupdates.json")
        self.assertEqual(status, 200)
        self.assertEqual(
            [u["description"] for u in feed if u["service_request_id"] == request], [published]
        )

    def test_a_conflicting_save_shows_the_current_state_in_place(self):
        request = self.server.submit("Suojatien maalaus kulunut")
        self.signed_in()
        self.open("/staff/requests/" + request)
        mine = self.browser.current_window_handle
        self.mark_page()
        # Someone else closes it in another tab meanwhile.
        self.browser.switch_to.new_window("tab")
        self.open("/staff/requests/" + request)
        h.Select(self.find("#status")).select_by_value("closed")
        self.button("Save").click()
        self.wait().until(lambda b: self.flash() == "Saved.")
        self.browser.close()
        self.browser.switch_to.window(mine)

        self.find("#status_notes").send_keys("Maalataan ensi viikolla.")
        self.button("Save").click()
        self.wait().until(lambda b: self.error().startswith("Someone else changed this request"))
        self.assertTrue(self.page_kept())
        self.assertEqual(self.find("#f-status").text, "Closed")
        # The form shows the stored state again: the note typed over it was not saved.
        self.assertEqual(self.find("#status_notes").get_attribute("value"), "")
        self.assertEqual(h.Select(self.find("#status")).first_selected_option.text, "Closed")


if __name__ == "__main__":
    h.main()
