-- What messages need from the participation store (issue 12).

-- The language a participant registered in: their messages are in it.
ALTER TABLE profiles ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- A verification code tried too often is locked for a while, each further
-- lock twice as long (locks counts them); attempts counts the wrong tries
-- since the last lock. Registering again replaces the code, not the lock.
ALTER TABLE verifications ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE verifications ADD COLUMN locked_until DATETIME;

-- Recipients: every registered participant of a process, in participant
-- order (the primary key leads with the participant), and who commented on
-- a document. Followers and supporters of a proposal are read through their
-- primary keys (proposal_id, participant_id); comments on a proposal
-- through comments_target.
CREATE INDEX profiles_process ON profiles (process_id, participant_id);
CREATE INDEX comments_component_participant ON comments (component_id, participant_id);
