#!/usr/bin/env python3
"""The same moderation flow with the keyboard only: Tab and Enter through the sign-in form,
the queue's shortcuts (j/k move, o opens, p publishes, r rejects, ? shows the help), Tab into
the request page's buttons and status form. No click, no script that sets a value. The
console's scripts run: every action is swapped into the page by htmx, no page load between."""

import console_harness as h
from console_harness import Keys


class KeyboardOnly(h.ConsoleTest):
    def current_row(self):
        rows = self.find_all("table.queue tbody tr.current")
        return rows[0].get_attribute("data-id") if rows else None

    def test_moderation_with_the_keyboard_only(self):
        oldest = self.server.submit("Katuvalo ei pala")
        middle = self.server.submit("Penkki on rikki")
        newest = self.server.submit("Lumiaura jätti vallin")

        # Sign in: Tab to the name, type, Tab to the password, Enter.
        self.open("/staff/login")
        self.tab_to("#username")
        self.press(h.ADMIN, Keys.TAB, h.PASSWORD, Keys.ENTER)
        self.wait().until(lambda b: b.find_elements(h.By.CSS_SELECTOR, "form.signout"))
        self.assertEqual(self.queue_ids()[:3], [newest, middle, oldest])

        # j and k move the current row; o opens it.
        self.press("j")
        self.assertEqual(self.current_row(), newest)
        self.press("j", "j", "k")
        self.assertEqual(self.current_row(), middle)
        self.press("o")
        self.wait_for_path("/staff/requests/" + middle)

        # Tab to "Publish", Enter: the request's view changes in place.
        self.mark_page()
        self.tab_to('form[action$="/publish"] button')
        self.assertEqual(self.browser.switch_to.active_element.text, "Publish")
        self.press(Keys.ENTER)
        self.wait().until(lambda b: self.state_shown() == "Published")
        self.assertEqual(self.flash(), "Published.")
        self.assertTrue(self.page_kept())
        self.assertIn(middle, self.server.public_ids())

        # Back to the queue through the navigation; p publishes the current row.
        self.tab_to('header nav a[href$="state=pending"]')
        self.press(Keys.ENTER)
        self.wait_for_path("/staff/requests?state=pending")
        self.assertEqual(self.queue_ids(), [newest, oldest])
        self.mark_page()
        self.press("j", "p")
        self.wait().until(lambda b: self.flash() == "Published.")
        self.assertTrue(self.page_kept())
        self.assertIn(newest, self.server.public_ids())
        self.assertEqual(self.queue_ids(), [oldest])

        # r with no reason yet puts the focus in the reason field; Enter there rejects.
        # The cursor stayed on the row that took the published one's place.
        self.assertEqual(self.current_row(), oldest)
        self.press("r")
        self.assertTrue(self.focused_matches("#bulk-reason"))
        self.press("Ei kaupungin vastuulla", Keys.ENTER)
        self.wait().until(lambda b: self.flash() == "Rejected.")
        self.assertTrue(self.page_kept())
        self.assertEqual(self.find_all("table.queue"), [])  # nothing pending any more
        self.assertEqual(self.server.get_json("/requests/%s.json" % oldest)[0], 404)
        self.assertNotIn(oldest, self.server.public_ids())

        # ? shows the shortcuts, Escape hides them.
        self.press("?")
        self.assertTrue(self.find("#help").is_displayed())
        self.press(Keys.ESCAPE)
        self.assertFalse(self.find("#help").is_displayed())

        # The published tab; open the first published request and close it with a note.
        self.tab_to('nav.tabs a[href$="state=published"]')
        self.press(Keys.ENTER)
        self.wait_for_path("/staff/requests?state=published")
        self.assertEqual(self.queue_ids(), [newest, middle])
        self.press("j", "j", "o")
        self.wait_for_path("/staff/requests/" + middle)
        self.tab_to("#status")
        self.press(Keys.ARROW_DOWN)
        self.assertEqual(h.Select(self.find("#status")).first_selected_option.text, "Closed")
        self.tab_to("#status_notes")
        self.press("Penkki on korjattu.")
        self.tab_to('form.status button[type="submit"]')
        self.press(Keys.ENTER)
        self.wait().until(lambda b: self.flash() == "Saved.")
        self.assertEqual(self.find("#f-status").text, "Closed")
        status, updates = self.server.get_json("/servicerequestupdates.json")
        self.assertEqual(status, 200)
        notes = [u["description"] for u in updates if u["service_request_id"] == middle]
        self.assertEqual(notes, ["Penkki on korjattu."])

        # Sign out with Tab and Enter.
        self.tab_to("form.signout button")
        self.press(Keys.ENTER)
        self.wait_for_path("/staff/login")


if __name__ == "__main__":
    h.main()
