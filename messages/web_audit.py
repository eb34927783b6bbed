"""The audit log viewer's words for actions and records the first list did not name: staff
accounts, a proposal's outputs, a group's reports, a complaint's files."""

from __future__ import annotations

ID: dict[str, str] = {
    "privacy.action.enable": "mengaktifkan akun",
    "privacy.action.disable": "menonaktifkan akun",
    "privacy.action.reset_password": "mengatur ulang kata sandi",
    "privacy.action.set_role": "mengubah peran",
    "privacy.action.password": "mengganti kata sandi sendiri",
    "privacy.entity.complaint_attachment": "berkas pengaduan",
    "privacy.entity.group_report": "laporan kelompok",
    "privacy.entity.proposal_output": "hasil tahapan usulan",
}

EN: dict[str, str] = {
    "privacy.action.enable": "enabled an account",
    "privacy.action.disable": "disabled an account",
    "privacy.action.reset_password": "reset a password",
    "privacy.action.set_role": "changed a role",
    "privacy.action.password": "changed their own password",
    "privacy.entity.complaint_attachment": "complaint file",
    "privacy.entity.group_report": "group report",
    "privacy.entity.proposal_output": "proposal output",
}
