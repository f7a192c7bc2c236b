-- An admin can withdraw an invitation before it is accepted. A revoked
-- invitation is kept (not deleted) so that its link can say it was revoked
-- rather than that it never existed; used_at stays NULL for it.
ALTER TABLE staff_tokens ADD COLUMN revoked_at TIMESTAMP;
ALTER TABLE staff_tokens ADD COLUMN revoked_by BIGINT;

-- The pending-invitations list reads unused invitations, newest first.
CREATE INDEX staff_tokens_pending ON staff_tokens (kind, id) WHERE used_at IS NULL AND revoked_at IS NULL;
