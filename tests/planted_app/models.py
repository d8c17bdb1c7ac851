from django.db import models


class Courier(models.Model):
    # Planted: a personal field nobody declared. `manage.py check` must fail naming it.
    mobile_phone = models.CharField(max_length=20)
    vehicle_plate = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"courier #{self.pk}"
