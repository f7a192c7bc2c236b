-- Data agreements (issue 14): each version of a process's privacy notice is
-- a version of its data agreement, shaped after the GovStack Consent BB's
-- DataAgreement and Policy: the purpose, the lawful basis, the policy's URL,
-- the retention period, who has access, and a snapshot of the personal
-- fields asked with why each is asked (JSON [{"field","reason"}]). Consent
-- records keep naming the version (consents.notice_version); hash is the
-- SHA-256 of the version's canonical JSON, the Consent BB's
-- dataAgreementRevisionHash. Versions published before this migration have
-- empty terms and no retention period (0: kept until erased).
ALTER TABLE privacy_notices ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE privacy_notices ADD COLUMN lawful_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE privacy_notices ADD COLUMN policy_url TEXT NOT NULL DEFAULT '';
ALTER TABLE privacy_notices ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE privacy_notices ADD COLUMN access TEXT NOT NULL DEFAULT '';
ALTER TABLE privacy_notices ADD COLUMN personal_data TEXT NOT NULL DEFAULT '[]';
ALTER TABLE privacy_notices ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- One row per closed process whose retention period ended and whose
-- participants' personal data was purged: the row makes the purge happen
-- once, and audited_at makes its audit-log entry happen once, even when the
-- job stops between the two.
CREATE TABLE retention_purges (
    process_id        BIGINT PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    agreement_version INTEGER NOT NULL,
    retention_days    INTEGER NOT NULL,
    profiles          INTEGER NOT NULL,
    purged_at         DATETIME NOT NULL,
    audited_at        DATETIME
);
