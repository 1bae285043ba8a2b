from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0009_request_to_approve_index"),
    ]

    # The open requests' index in the queue's order also holds each one's status and case, so the
    # queue of someone who sees requests through their cases is counted and put in order from the
    # index alone.
    operations = [
        migrations.RemoveIndex(
            model_name="assistancerequest",
            name="assistance_request_open_need",
        ),
        migrations.AddIndex(
            model_name="assistancerequest",
            index=models.Index(
                condition=models.Q(("status__in", ["waiting", "second approval", "approved"])),
                fields=["needed_by", "id"],
                include=["status", "case"],
                name="assistance_request_open_need",
            ),
        ),
    ]
