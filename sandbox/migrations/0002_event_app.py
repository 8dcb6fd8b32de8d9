from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sandbox", "0001_initial")]

    operations = [
        migrations.AddField(model_name="event", name="app_id", field=models.CharField(blank=True, max_length=24)),
        migrations.AddField(model_name="event", name="app_name", field=models.CharField(blank=True, max_length=64)),
    ]
