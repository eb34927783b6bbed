"""What the bot says where the catalogue holds no SOP fact: a field the SOP does not state, and
a reading of Sigap's (a time standard's unit, an age range) marked as such."""

ID = {
    "programme.not_stated": "tidak disebut dalam SOP",
    "programme.not_stated.apply": "SOP tidak menjelaskan cara mengajukan.",
    "programme.steps.reading": (
        '* SOP hanya menulis jumlah hari ("2 Hari"); Sigap menghitungnya sebagai hari kerja. '
        "Itu bacaan Sigap, bukan bunyi SOP."
    ),
    "step.standard.reading": '{standard} (bacaan Sigap; SOP menulis "{days} Hari")',
    "eligibility.reading": "Catatan: batas ini bacaan Sigap, bukan angka dari SOP.",
}

EN = {
    "programme.not_stated": "not stated in the SOP",
    "programme.not_stated.apply": "The SOP does not say how to apply.",
    "programme.steps.reading": (
        '* The SOP gives a number of days only ("2 Hari"); Sigap counts them as working days. '
        "That is Sigap's reading, not the SOP's words."
    ),
    "step.standard.reading": '{standard} (Sigap\'s reading; the SOP says "{days} Hari")',
    "eligibility.reading": "Note: this limit is Sigap's reading, not a figure from the SOP.",
}
