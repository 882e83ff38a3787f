#!/usr/bin/env python3
"""The moderator's day in real Chromium, with the mouse: sign in, find a request the public API
received in the queue, open it, publish it (the public API lists it), reject another with a
reason (the public API never shows it), and close the first with a public note (the citizen's
app sees the update in servicerequestupdates). JavaScript is off here: every action is a plain
form, a POST and a redirect to the page with its message (test_partial_updates.py and
test_keyboard.py run the console with its scripts)."""

import console_harness as h


class ModerationFlow(h.ConsoleTest):
    javascript = False

    def test_moderator_publishes_rejects_and_closes_with_a_public_note(self):
        first = self.server.submit("Kuoppa ajoradalla Mannerheimintiellä", address_string="Mannerheimintie 1")
        second = self.server.submit("Roska-astia on täynnä", address_string="Aleksanterinkatu 5")
        public = self.server.public_ids()
        self.assertNotIn(first, public)  # pre-moderation: pending requests are not public

        # Sign in: the queue of pending requests, newest first.
        self.sign_in()
        self.assertEqual(self.queue_ids()[:2], [second, first])
        pending = self.find("nav.tabs a[aria-current=page] .count")
        self.assertEqual(pending.get_attribute("data-state"), "pending")
        self.assertEqual(pending.text, "2")

        # Open the first and publish it.
        self.find('tr[data-id="%s"] a' % first).click()
        self.wait_for_path("/staff/requests/" + first)
        self.assertEqual(self.state_shown(), "Pending")
        self.assertEqual(self.find("#f-description").text, "Kuoppa ajoradalla Mannerheimintiellä")
        self.mark_page()
        self.button("Publish").click()
        self.wait_for_path("/staff/requests/" + first + "?done=publish")
        self.assertFalse(self.page_kept())  # a new page: the form was posted without a script
        self.assertEqual(self.state_shown(), "Published")
        self.assertIn(first, self.server.public_ids())
        status, one = self.server.get_json("/requests/%s.json" % first)
        self.assertEqual(status, 200)
        self.assertEqual(one[0]["service_request_id"], first)
        self.assertNotIn("email", one[0])  # personal data stays in the console

        # Reject the second with a reason: it never becomes public.
        self.open("/staff/requests/" + second)
        form = self.form_of("Reject")
        form.find_element(h.By.NAME, "reason").send_keys("Sama kuin aiempi ilmoitus")
        self.button("Reject").click()
        self.wait_for_path("/staff/requests/" + second + "?done=reject")
        self.assertEqual(self.state_shown(), "Rejected")
        self.assertEqual(self.find("#f-reject_reason").text, "Sama kuin aiempi ilmoitus")
        self.assertNotIn(second, self.server.public_ids())
        self.assertEqual(self.server.get_json("/requests/%s.json" % second)[0], 404)
        history = [li.text for li in self.find_all("ol.timeline li")]
        self.assertTrue(any(h.ADMIN in line and "Sama kuin" in line for line in history), history)

        # Close the first with a public note: "Closed" alone is enough.
        self.open("/staff/requests/" + first)
        h.Select(self.find("#status")).select_by_value("closed")
        self.find("#status_notes").send_keys("Kuoppa on paikattu.")
        self.find("#internal_note").send_keys("Katutiimi kävi paikalla.")
        self.button("Save").click()
        self.wait_for_path("/staff/requests/" + first + "?done=save")
        self.assertEqual(self.flash(), "Saved.")
        self.assertEqual(self.find("#f-status").text, "Closed")
        status, one = self.server.get_json("/requests/%s.json" % first)
        self.assertEqual(one[0]["status"], "closed")
        self.assertEqual(one[0]["status_notes"], "Kuoppa on paikattu.")
        status, updates = self.server.get_json("/servicerequestupdates.json")
        self.assertEqual(status, 200)
        mine = [u for u in updates if u["service_request_id"] == first]
        self.assertEqual(len(mine), 1, updates)
        self.assertEqual(mine[0]["description"], "Kuoppa on paikattu.")
        self.assertIn(mine[0]["status"], ("closed", "fixed"))
        self.assertNotIn("Katutiimi", str(updates))  # the internal note stays inside

        # The queue's counts follow; signing out ends the session.
        self.open("/staff/requests?state=all")
        counts = {c.get_attribute("data-state"): c.text for c in self.find_all(".count")}
        self.assertEqual(counts["pending"], "0")
        self.assertEqual(counts["published"], "1")
        self.assertEqual(counts["rejected"], "1")
        self.sign_out()
        self.open("/staff/requests")
        self.wait_for_path("/staff/login")


if __name__ == "__main__":
    h.main()
