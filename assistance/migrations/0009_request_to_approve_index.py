from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0008_speed_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assistancerequest",
            index=models.Index(
                condition=models.Q(("status__in", ["waiting", "second approval"])),
                fields=["status", "case"],
                include=["requested_by", "approved_by"],
                name="assistance_request_to_approve",
            ),
        ),
    ]
