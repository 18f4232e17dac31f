from django.conf import settings

from config.celery import app

QUEUES = {"default", "notifications", "maintenance"}


def test_every_beat_entry_names_a_registered_task() -> None:
    app.loader.import_default_modules()
    registered = set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - registered == set()
    assert len(scheduled) == len(settings.CELERY_BEAT_SCHEDULE)


def test_routes_only_name_declared_queues() -> None:
    assert {queue.name for queue in app.conf.task_queues} == QUEUES
    assert {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} <= QUEUES
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


def test_maintenance_and_notification_tasks_are_routed() -> None:
    router = app.amqp.router
    assert router.route({}, "bookings.release_expired_holds")["queue"].name == "maintenance"
    assert router.route({}, "availability.extend_inventory")["queue"].name == "maintenance"
    assert router.route({}, "notifications.send")["queue"].name == "notifications"
    assert router.route({}, "events.relay")["queue"].name == "default"
