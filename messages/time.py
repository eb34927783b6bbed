"""Day and month names, and how a moment is written."""

_ID_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ID_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

ID = {
    "time.moment": "{weekday}, {day} {month} {year} pukul {hour}.{minute} {zone}",
    "time.date": "{day} {month} {year}",
    **{f"time.weekday.{i}": name for i, name in enumerate(_ID_DAYS)},
    **{f"time.month.{i}": name for i, name in enumerate(_ID_MONTHS, start=1)},
}

EN = {
    "time.moment": "{weekday}, {day} {month} {year} at {hour}:{minute} {zone}",
    "time.date": "{day} {month} {year}",
    **{f"time.weekday.{i}": name for i, name in enumerate(_EN_DAYS)},
    **{f"time.month.{i}": name for i, name in enumerate(_EN_MONTHS, start=1)},
}
