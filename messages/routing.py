"""Which office: a NIK's region or a person's records pointing elsewhere than the office picked."""

from __future__ import annotations

ID: dict[str, str] = {
    "routing.ask.nik": "NIK {nik} berasal dari wilayah {office}. Kirim pengaduan ke:",
    "routing.ask.records": "Data Anda tercatat di {office}. Kirim pengaduan ke:",
    "routing.ask.unknown": "Balas dengan nomor kantor tujuan.",
    "routing.option.picked": "{office} (pilihan Anda)",
    "routing.residence": (
        "Catatan: {programme} hanya untuk penduduk wilayah {office}; NIK {nik} berasal dari "
        "wilayah lain."
    ),
    "routing.code_office": "NIK {nik} berasal dari wilayah {office}: minta kode di kantor itu.",
    "routing.code_office.show": "Alamat {office}",
    "routing.switched": "Data Anda tetap tercatat di {home}. Yang tampil sekarang: {office}.",
    "routing.home": "{office} (data Anda)",
}

EN: dict[str, str] = {
    "routing.ask.nik": "NIK {nik} is from the area of {office}. Send the complaint to:",
    "routing.ask.records": "Your records are with {office}. Send the complaint to:",
    "routing.ask.unknown": "Reply with the number of the office to send it to.",
    "routing.option.picked": "{office} (your choice)",
    "routing.residence": (
        "Note: {programme} is only for residents of the area of {office}; NIK {nik} is from "
        "another area."
    ),
    "routing.code_office": "NIK {nik} is from the area of {office}: ask that office for a code.",
    "routing.code_office.show": "Address of {office}",
    "routing.switched": "Your records stay with {home}. Now showing: {office}.",
    "routing.home": "{office} (your records)",
}
