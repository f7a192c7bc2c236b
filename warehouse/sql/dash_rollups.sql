-- Dashboard rollups (migrations/003_dash_rollups.sql), run in order on the
-- writer's transaction after the batch's facts and dimensions, from the
-- batch staged in dash_stage_*. $1 and $2 bound the batch's times (two days
-- of margin each side), so that scans of the large membership tables skip
-- row groups outside them. Counts move through dash_stage_delta: signed
-- changes summed per key, added to existing rows, inserted for new keys,
-- and rows that fall to zero deleted, so a rebuild gives the same rows.

-- name: dash-hourly-update
UPDATE dash_hourly h SET n = h.n + d.n
FROM dash_stage_hourly d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
  AND h.kind = d.kind AND h.bucket = d.bucket;

-- name: dash-hourly-insert
INSERT INTO dash_hourly
SELECT d.process_id, d.component_id, d.region_code, d.kind, d.bucket, d.n
FROM dash_stage_hourly d
WHERE NOT EXISTS (SELECT 1 FROM dash_hourly h
                  WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
                    AND h.kind = d.kind AND h.bucket = d.bucket);

-- name: dash-budget-update
UPDATE dash_proposal_budget h SET proposals = h.proposals + d.proposals, budget_minor = h.budget_minor + d.budget_minor
FROM (SELECT process_id, component_id, region_code, tag, date_trunc('hour', occurred_at) AS bucket,
             count(*) AS proposals, sum(budget_minor) AS budget_minor
      FROM dash_stage_tags_v GROUP BY ALL) d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
  AND h.tag = d.tag AND h.bucket = d.bucket;

-- name: dash-budget-insert
INSERT INTO dash_proposal_budget
SELECT d.process_id, d.component_id, d.region_code, d.tag, d.bucket, d.proposals, d.budget_minor, 0
FROM (SELECT process_id, component_id, region_code, tag, date_trunc('hour', occurred_at) AS bucket,
             count(*) AS proposals, sum(budget_minor) AS budget_minor
      FROM dash_stage_tags_v GROUP BY ALL) d
WHERE NOT EXISTS (SELECT 1 FROM dash_proposal_budget h
                  WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
                    AND h.tag = d.tag AND h.bucket = d.bucket);

-- name: dash-people-stage
-- Each staged person with what dash_participants knew of them, once for
-- the three steps after.
INSERT INTO dash_stage_people
SELECT s.process_id, s.component_id, s.region_code, s.role, s.participant, s.first_at, m.first_at
FROM dash_stage_people_v s
LEFT JOIN dash_participants m
  ON m.process_id = s.process_id AND m.component_id = s.component_id AND m.region_code = s.region_code
 AND m.role = s.role AND m.participant = s.participant;

-- name: dash-new-delta
-- A participant new to a combination counts in the hour of their first
-- action; one whose earlier action arrives late moves to the earlier hour.
INSERT INTO dash_stage_delta
SELECT 'new', process_id, component_id, region_code, role, date_trunc('hour', first_at), '', '', 0, false, false, 1
FROM dash_stage_people
WHERE old_first_at IS NULL OR first_at < old_first_at
UNION ALL
SELECT 'new', process_id, component_id, region_code, role, date_trunc('hour', old_first_at), '', '', 0, false, false, -1
FROM dash_stage_people
WHERE first_at < old_first_at;

-- name: dash-participants-update
UPDATE dash_participants m SET first_at = s.first_at
FROM dash_stage_people s
WHERE m.process_id = s.process_id AND m.component_id = s.component_id AND m.region_code = s.region_code
  AND m.role = s.role AND m.participant = s.participant AND s.first_at < s.old_first_at;

-- name: dash-participants-insert
INSERT INTO dash_participants
SELECT process_id, component_id, region_code, role, participant, first_at
FROM dash_stage_people
WHERE old_first_at IS NULL;

-- name: dash-new-update
UPDATE dash_new_hourly h SET n = h.n + d.n
FROM (SELECT process_id, component_id, region_code, role, bucket, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'new' AND role IN ('any', 'contributor') GROUP BY ALL) d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
  AND h.role = d.role AND h.bucket = d.bucket;

-- name: dash-new-insert
INSERT INTO dash_new_hourly
SELECT d.process_id, d.component_id, d.region_code, d.role, d.bucket, d.n
FROM (SELECT process_id, component_id, region_code, role, bucket, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'new' AND role IN ('any', 'contributor') GROUP BY ALL HAVING sum(n) <> 0) d
WHERE NOT EXISTS (SELECT 1 FROM dash_new_hourly h
                  WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
                    AND h.role = d.role AND h.bucket = d.bucket);

-- name: dash-new-prune
DELETE FROM dash_new_hourly WHERE n = 0;

-- name: dash-budget-authors
-- An author's first proposal (with a tag) is in this batch or already
-- counted, so its hour's row exists.
UPDATE dash_proposal_budget h SET new_authors = h.new_authors + d.n
FROM (SELECT process_id, component_id, region_code, CASE WHEN role = 'author' THEN '' ELSE substr(role, 5) END AS tag,
             bucket, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'new' AND role NOT IN ('any', 'contributor') GROUP BY ALL) d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
  AND h.tag = d.tag AND h.bucket = d.bucket;

-- name: dash-active-stage
-- The batch's members not yet counted, found once for the two steps after.
INSERT INTO dash_stage_active
SELECT s.process_id, s.component_id, s.region_code, s.day, s.participant
FROM dash_stage_active_v s
WHERE NOT EXISTS (SELECT 1 FROM dash_active_members m
                  WHERE m.day >= $1 AND m.day < $2
                    AND m.process_id = s.process_id AND m.component_id = s.component_id AND m.region_code = s.region_code
                    AND m.day = s.day AND m.participant = s.participant);

-- name: dash-active-delta
INSERT INTO dash_stage_delta
SELECT 'active', process_id, component_id, region_code, '', day, '', '', 0, false, false, 1
FROM dash_stage_active;

-- name: dash-active-members
INSERT INTO dash_active_members
SELECT process_id, component_id, region_code, day, participant
FROM dash_stage_active;

-- name: dash-active-update
UPDATE dash_active_daily h SET n = h.n + d.n
FROM (SELECT process_id, component_id, region_code, bucket, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'active' GROUP BY ALL) d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
  AND h.day = d.bucket;

-- name: dash-active-insert
INSERT INTO dash_active_daily
SELECT d.process_id, d.component_id, d.region_code, d.bucket, d.n
FROM (SELECT process_id, component_id, region_code, bucket, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'active' GROUP BY ALL) d
WHERE NOT EXISTS (SELECT 1 FROM dash_active_daily h
                  WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.region_code = d.region_code
                    AND h.day = d.bucket);

-- name: dash-visitors-merge
INSERT INTO dash_stage_visitors
SELECT s.process_id, s.component_id, s.day, s.visitor_hash, m.visitor_hash IS NOT NULL,
       least(s.first_at, coalesce(m.first_at, s.first_at)),
       greatest(s.last_at, coalesce(m.last_at, s.last_at)),
       CASE WHEN m.visitor_hash IS NULL OR s.first_view < {'at': m.first_at, 'channel': m.channel, 'device': m.device}
            THEN s.first_view.channel ELSE m.channel END,
       CASE WHEN m.visitor_hash IS NULL OR s.first_view < {'at': m.first_at, 'channel': m.channel, 'device': m.device}
            THEN s.first_view.device ELSE m.device END,
       s.engaged OR coalesce(m.engaged, false),
       s.started OR coalesce(m.started, false),
       m.first_at, m.last_at, m.channel, m.device, m.engaged, m.started
FROM dash_stage_visitors_v s
LEFT JOIN (SELECT * FROM dash_visitors WHERE day >= $1 AND day < $2) m
  ON m.process_id = s.process_id AND m.component_id = s.component_id AND m.day = s.day AND m.visitor_hash = s.visitor_hash;

-- name: dash-visitors-delta
INSERT INTO dash_stage_delta
SELECT 'cube', process_id, component_id, '', '', date_trunc('hour', first_at), channel, device,
       CASE WHEN epoch(last_at) - epoch(first_at) < 60 THEN 1 WHEN epoch(last_at) - epoch(first_at) < 300 THEN 2
            WHEN epoch(last_at) - epoch(first_at) < 900 THEN 3 WHEN epoch(last_at) - epoch(first_at) < 3600 THEN 4 ELSE 5 END,
       engaged, started, 1
FROM dash_stage_visitors
UNION ALL
SELECT 'cube', process_id, component_id, '', '', date_trunc('hour', old_first_at), old_channel, old_device,
       CASE WHEN epoch(old_last_at) - epoch(old_first_at) < 60 THEN 1 WHEN epoch(old_last_at) - epoch(old_first_at) < 300 THEN 2
            WHEN epoch(old_last_at) - epoch(old_first_at) < 900 THEN 3 WHEN epoch(old_last_at) - epoch(old_first_at) < 3600 THEN 4 ELSE 5 END,
       old_engaged, old_started, -1
FROM dash_stage_visitors
WHERE known;

-- name: dash-visitors-update
UPDATE dash_visitors m
SET first_at = s.first_at, last_at = s.last_at, channel = s.channel, device = s.device, engaged = s.engaged, started = s.started
FROM dash_stage_visitors s
WHERE s.known AND m.day >= $1 AND m.day < $2
  AND m.process_id = s.process_id AND m.component_id = s.component_id AND m.day = s.day AND m.visitor_hash = s.visitor_hash;

-- name: dash-visitors-insert
INSERT INTO dash_visitors
SELECT process_id, component_id, day, visitor_hash, first_at, last_at, channel, device, engaged, started
FROM dash_stage_visitors
WHERE NOT known;

-- name: dash-cube-update
UPDATE dash_visitor_cube h SET n = h.n + d.n
FROM (SELECT process_id, component_id, bucket, channel, device, band, engaged, started, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'cube' GROUP BY ALL) d
WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.bucket = d.bucket
  AND h.channel = d.channel AND h.device = d.device AND h.band = d.band AND h.engaged = d.engaged AND h.started = d.started;

-- name: dash-cube-insert
INSERT INTO dash_visitor_cube
SELECT d.process_id, d.component_id, d.bucket, d.channel, d.device, d.band, d.engaged, d.started, d.n
FROM (SELECT process_id, component_id, bucket, channel, device, band, engaged, started, sum(n) AS n
      FROM dash_stage_delta WHERE tbl = 'cube' GROUP BY ALL HAVING sum(n) <> 0) d
WHERE NOT EXISTS (SELECT 1 FROM dash_visitor_cube h
                  WHERE h.process_id = d.process_id AND h.component_id = d.component_id AND h.bucket = d.bucket
                    AND h.channel = d.channel AND h.device = d.device AND h.band = d.band
                    AND h.engaged = d.engaged AND h.started = d.started);

-- name: dash-cube-prune
DELETE FROM dash_visitor_cube WHERE n = 0;

-- name: dash-proposals-created
INSERT INTO dash_proposal_supports
SELECT DISTINCT t.process_id, t.proposal_id, t.component_id, CASE WHEN t.region_code = '(none)' THEN '' ELSE t.region_code END,
       t.occurred_at, 0, 0
FROM dash_stage_tags t
WHERE t.tag = ''
  AND NOT EXISTS (SELECT 1 FROM dash_proposal_supports h WHERE h.process_id = t.process_id AND h.proposal_id = t.proposal_id);

-- name: dash-proposals-stage
-- A supporter is new to a proposal when every supports row of the pair is
-- in this batch (the batch's facts are already in supports).
INSERT INTO dash_stage_proposals
WITH pairs AS (
    SELECT process_id, proposal_id, participant, count(*) AS k, sum(delta) AS d
    FROM dash_stage_supports GROUP BY ALL
), seen AS (
    SELECT process_id, proposal_id, participant, count(*) AS k
    FROM supports
    WHERE proposal_id IN (SELECT proposal_id FROM pairs)
    GROUP BY ALL
)
SELECT p.process_id, p.proposal_id, sum(p.d), count(*) FILTER (WHERE s.k = p.k)
FROM pairs p LEFT JOIN seen s USING (process_id, proposal_id, participant)
GROUP BY ALL;

-- name: dash-proposals-update
UPDATE dash_proposal_supports h SET supports = h.supports + d.supports, supporters = h.supporters + d.supporters
FROM dash_stage_proposals d
WHERE h.process_id = d.process_id AND h.proposal_id = d.proposal_id;

-- name: dash-proposals-insert
-- Supports of a proposal the warehouse never saw created.
INSERT INTO dash_proposal_supports
SELECT d.process_id, d.proposal_id, 0, '', TIMESTAMP '1970-01-01', d.supports, d.supporters
FROM dash_stage_proposals d
WHERE NOT EXISTS (SELECT 1 FROM dash_proposal_supports h WHERE h.process_id = d.process_id AND h.proposal_id = d.proposal_id);

-- name: dash-stage-clear
DELETE FROM dash_stage_events;
DELETE FROM dash_stage_visits;
DELETE FROM dash_stage_supports;
DELETE FROM dash_stage_delta;
DELETE FROM dash_stage_visitors;
DELETE FROM dash_stage_proposals;
DELETE FROM dash_stage_tags;
DELETE FROM dash_stage_active;
DELETE FROM dash_stage_people;
DELETE FROM dash_stage_hourly;
