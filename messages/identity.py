"""NIK and No. KK mistakes, and the civil-registry labels (sex, marital status)."""

from __future__ import annotations

ID: dict[str, str] = {
    "identity.nik.digits": (
        "NIK hanya berisi angka. Periksa lagi: mungkin ada huruf O atau I yang terketik "
        "sebagai ganti angka 0 atau 1."
    ),
    "identity.nik.length": "NIK terdiri dari 16 angka, sedangkan yang Anda kirim {length} angka.",
    "identity.nik.province": (
        "Dua angka pertama NIK ({province}) bukan kode provinsi di Indonesia. "
        "Periksa lagi NIK pada KTP atau Kartu Keluarga."
    ),
    "identity.nik.regency": (
        "Angka ke-3 dan ke-4 NIK adalah kode kabupaten/kota dan tidak mungkin 00. "
        "Periksa lagi NIK pada KTP atau Kartu Keluarga."
    ),
    "identity.nik.kecamatan": (
        "Angka ke-5 dan ke-6 NIK adalah kode kecamatan dan tidak mungkin 00. "
        "Periksa lagi NIK pada KTP atau Kartu Keluarga."
    ),
    "identity.nik.birth_day": (
        "Angka ke-7 dan ke-8 NIK ({day}) adalah tanggal lahir: 01–31 untuk laki-laki, "
        "41–71 untuk perempuan. Periksa lagi NIK Anda."
    ),
    "identity.nik.birth_month": (
        "Angka ke-9 dan ke-10 NIK ({month}) adalah bulan lahir dan harus 01–12. "
        "Periksa lagi NIK Anda."
    ),
    "identity.nik.birth_date": (
        "Tanggal lahir dalam NIK ({day}-{month}-{year}) tidak ada di kalender. "
        "Periksa lagi NIK Anda."
    ),
    "identity.nik.serial": (
        "Empat angka terakhir NIK tidak mungkin 0000. "
        "Periksa lagi NIK pada KTP atau Kartu Keluarga."
    ),
    "identity.kk.digits": "Nomor Kartu Keluarga hanya berisi angka.",
    "identity.kk.length": (
        "Nomor Kartu Keluarga terdiri dari 16 angka, sedangkan yang Anda kirim {length} angka."
    ),
    "identity.kk.province": (
        "Dua angka pertama Nomor Kartu Keluarga ({province}) bukan kode provinsi di Indonesia."
    ),
    "identity.kk.regency": (
        "Angka ke-3 dan ke-4 Nomor Kartu Keluarga adalah kode kabupaten/kota dan tidak mungkin 00."
    ),
    "identity.kk.serial": "Empat angka terakhir Nomor Kartu Keluarga tidak mungkin 0000.",
    "identity.sex.L": "laki-laki",
    "identity.sex.P": "perempuan",
    "identity.marital_status.belum_kawin": "belum kawin",
    "identity.marital_status.kawin": "kawin",
    "identity.marital_status.cerai_hidup": "cerai hidup",
    "identity.marital_status.cerai_mati": "cerai mati",
    "identity.marital_status.ditinggal_suami": "ditinggal suami tanpa batas waktu",
    "identity.marital_status.unknown": "belum tercatat",
}

EN: dict[str, str] = {
    "identity.nik.digits": (
        "A NIK contains digits only. Please check again: a letter O or I may have been typed "
        "instead of 0 or 1."
    ),
    "identity.nik.length": "A NIK has 16 digits; the one you sent has {length}.",
    "identity.nik.province": (
        "The first two digits of the NIK ({province}) are not an Indonesian province code. "
        "Please check the NIK on the ID card (KTP) or family card (KK)."
    ),
    "identity.nik.regency": (
        "Digits 3 and 4 of the NIK are the regency/city code and cannot be 00. "
        "Please check the NIK on the ID card (KTP) or family card (KK)."
    ),
    "identity.nik.kecamatan": (
        "Digits 5 and 6 of the NIK are the district (kecamatan) code and cannot be 00. "
        "Please check the NIK on the ID card (KTP) or family card (KK)."
    ),
    "identity.nik.birth_day": (
        "Digits 7 and 8 of the NIK ({day}) are the day of birth: 01–31 for men, "
        "41–71 for women. Please check the NIK."
    ),
    "identity.nik.birth_month": (
        "Digits 9 and 10 of the NIK ({month}) are the month of birth and must be 01–12. "
        "Please check the NIK."
    ),
    "identity.nik.birth_date": (
        "The birth date in the NIK ({day}-{month}-{year}) does not exist. Please check the NIK."
    ),
    "identity.nik.serial": (
        "The last four digits of a NIK cannot be 0000. "
        "Please check the NIK on the ID card (KTP) or family card (KK)."
    ),
    "identity.kk.digits": "A family card (KK) number contains digits only.",
    "identity.kk.length": "A family card (KK) number has 16 digits; the one you sent has {length}.",
    "identity.kk.province": (
        "The first two digits of the family card (KK) number ({province}) "
        "are not an Indonesian province code."
    ),
    "identity.kk.regency": (
        "Digits 3 and 4 of the family card (KK) number are the regency/city code and cannot be 00."
    ),
    "identity.kk.serial": "The last four digits of a family card (KK) number cannot be 0000.",
    "identity.sex.L": "male",
    "identity.sex.P": "female",
    "identity.marital_status.belum_kawin": "never married",
    "identity.marital_status.kawin": "married",
    "identity.marital_status.cerai_hidup": "divorced",
    "identity.marital_status.cerai_mati": "widowed",
    "identity.marital_status.ditinggal_suami": "left by her husband indefinitely",
    "identity.marital_status.unknown": "not recorded",
}
