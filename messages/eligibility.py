"""Why an applicant does not (yet) meet a programme's rules, one sentence per failed rule.

``{member}`` is a masked NIK (``7308************``). Values that need translating arrive once
per language, as ``{programme}``/``{programme}`` and the like.
"""

from __future__ import annotations

ID: dict[str, str] = {
    "eligibility.office": (
        "Program {programme} tidak dilayani oleh kantor Dinas Sosial wilayah {office}."
    ),
    "eligibility.applicant_kind.group": (
        "Program {programme} hanya untuk kelompok; permohonan harus diajukan atas nama "
        "kelompok beserta seluruh anggotanya."
    ),
    "eligibility.applicant_kind.person": (
        "Program {programme} untuk perorangan/keluarga; permohonan diajukan atas nama "
        "satu orang, bukan kelompok."
    ),
    "eligibility.group_size.exact": (
        "Kelompok harus beranggotakan tepat {min} orang, sedangkan kelompok ini {count} orang."
    ),
    "eligibility.group_size.range": (
        "Kelompok harus beranggotakan {min} sampai {max} orang, sedangkan kelompok ini "
        "{count} orang."
    ),
    "eligibility.group_size.at_least": (
        "Kelompok harus beranggotakan paling sedikit {min} orang, sedangkan kelompok ini "
        "{count} orang."
    ),
    "eligibility.group_size.at_most": (
        "Kelompok paling banyak beranggotakan {max} orang, sedangkan kelompok ini {count} orang."
    ),
    "eligibility.age.too_young": (
        "Anggota dengan NIK {member} berusia {age} tahun; usia paling rendah {min} tahun."
    ),
    "eligibility.age.too_young_unmarried": (
        "Anggota dengan NIK {member} berusia {age} tahun dan belum pernah menikah; "
        "yang belum menikah harus berusia paling rendah {min} tahun."
    ),
    "eligibility.age.too_old": (
        "Anggota dengan NIK {member} berusia {age} tahun; usia paling tinggi {max} tahun."
    ),
    "eligibility.same_kecamatan": (
        "Semua anggota kelompok harus tinggal di kecamatan yang sama, sedangkan anggota "
        "kelompok ini tinggal di {count} kecamatan ({kecamatans})."
    ),
    "eligibility.distinct_families": (
        "Anggota kelompok tidak boleh berasal dari satu keluarga inti, sedangkan {count} anggota "
        "({members}) tercatat dalam Kartu Keluarga yang sama ({kk})."
    ),
    "eligibility.aided_before": (
        "Anggota dengan NIK {member} tercatat pernah menerima bantuan sosial; program ini "
        "hanya untuk yang belum pernah menerima bantuan."
    ),
    "eligibility.resident": (
        "Anggota dengan NIK {member} tercatat sebagai penduduk wilayah {regency}, bukan "
        "wilayah {office_region} yang dilayani kantor ini."
    ),
    "eligibility.sex.P": (
        "Anggota dengan NIK {member} bukan perempuan; program ini khusus untuk perempuan."
    ),
    "eligibility.sex.L": (
        "Anggota dengan NIK {member} bukan laki-laki; program ini khusus untuk laki-laki."
    ),
    "eligibility.marital_status": (
        "Anggota dengan NIK {member} berstatus {status}; program ini hanya untuk yang "
        "berstatus {allowed}."
    ),
    "eligibility.registered_in": (
        "Anggota dengan NIK {member} belum terdaftar dalam {registries}. Pendaftaran diajukan "
        "melalui desa/kelurahan."
    ),
}

EN: dict[str, str] = {
    "eligibility.office": (
        "The programme {programme} is not run by the social affairs office of region {office}."
    ),
    "eligibility.applicant_kind.group": (
        "The programme {programme} is for groups only; apply in the group's name with all "
        "of its members."
    ),
    "eligibility.applicant_kind.person": (
        "The programme {programme} is for individuals/households; apply in one person's "
        "name, not as a group."
    ),
    "eligibility.group_size.exact": (
        "A group must have exactly {min} members; this group has {count}."
    ),
    "eligibility.group_size.range": (
        "A group must have between {min} and {max} members; this group has {count}."
    ),
    "eligibility.group_size.at_least": (
        "A group must have at least {min} members; this group has {count}."
    ),
    "eligibility.group_size.at_most": (
        "A group may have at most {max} members; this group has {count}."
    ),
    "eligibility.age.too_young": (
        "The member with NIK {member} is {age} years old; the minimum age is {min}."
    ),
    "eligibility.age.too_young_unmarried": (
        "The member with NIK {member} is {age} years old and has never married; members who "
        "have never married must be at least {min}."
    ),
    "eligibility.age.too_old": (
        "The member with NIK {member} is {age} years old; the maximum age is {max}."
    ),
    "eligibility.same_kecamatan": (
        "All members must live in the same district (kecamatan); this group's members live "
        "in {count} districts ({kecamatans})."
    ),
    "eligibility.distinct_families": (
        "Members may not come from one nuclear family; {count} members ({members}) are on "
        "the same family card ({kk})."
    ),
    "eligibility.aided_before": (
        "The member with NIK {member} has received social assistance before; this programme "
        "is only for those who have not."
    ),
    "eligibility.resident": (
        "The member with NIK {member} is registered as a resident of region {regency}, not "
        "of region {office_region} served by this office."
    ),
    "eligibility.sex.P": (
        "The member with NIK {member} is not a woman; this programme is for women only."
    ),
    "eligibility.sex.L": (
        "The member with NIK {member} is not a man; this programme is for men only."
    ),
    "eligibility.marital_status": (
        "The member with NIK {member} is {status}; this programme is only for those who are "
        "{allowed}."
    ),
    "eligibility.registered_in": (
        "The member with NIK {member} is not registered in {registries}. Registration goes "
        "through the village (desa/kelurahan) office."
    ),
}
