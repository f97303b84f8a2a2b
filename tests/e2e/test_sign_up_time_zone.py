"""On a phone in Polish, sign-up offers the device's time zone first, chosen, named in Polish."""

PHONE = {"width": 390, "height": 844}


def test_the_devices_zone_comes_first_and_chosen(live_server, browser, transactional_db):
    context = browser.new_context(viewport=PHONE, is_mobile=True, timezone_id="Europe/Warsaw", locale="pl-PL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/pl/accounts/signup/")
        select = page.locator("select[name=time_zone]")
        assert select.input_value() == "Europe/Warsaw"
        first_group = select.locator("optgroup").first
        assert first_group.get_attribute("label") == "Strefa czasowa tego urządzenia"
        assert first_group.locator("option").all_inner_texts() == ["Warszawa (Europe/Warsaw)"]
        assert select.locator("optgroup[label=Europa] option[value='Europe/Warsaw']").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
