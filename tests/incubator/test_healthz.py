from django.urls import reverse


def test_healthz_reports_both_services_up(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "redis": "up"}


def test_healthz_is_503_when_redis_is_down(client, db, settings, tmp_path):
    settings.REDIS_URL = f"unix://{tmp_path}/nothing-here.sock"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "up", "redis": "down"}
