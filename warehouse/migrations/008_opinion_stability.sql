-- How much an opinion run's groups depend on where the clustering starts
-- (analysis/opinion Analyze): starts is the number of seeded participant
-- orders clustered, starts_at_k how many of them chose the run's k, and
-- stability_mean / stability_worst the mean and the worst agreement (ARI)
-- of a start's groups with the consensus. Runs written before the
-- consensus fit, and runs without groups, have 0 starts: no stability to
-- show. DuckDB adds a column without constraints; NOT NULL follows.
ALTER TABLE opinion_runs ADD COLUMN starts INTEGER DEFAULT 0;
ALTER TABLE opinion_runs ADD COLUMN starts_at_k INTEGER DEFAULT 0;
ALTER TABLE opinion_runs ADD COLUMN stability_mean DOUBLE DEFAULT 0;
ALTER TABLE opinion_runs ADD COLUMN stability_worst DOUBLE DEFAULT 0;
ALTER TABLE opinion_runs ALTER COLUMN starts SET NOT NULL;
ALTER TABLE opinion_runs ALTER COLUMN starts_at_k SET NOT NULL;
ALTER TABLE opinion_runs ALTER COLUMN stability_mean SET NOT NULL;
ALTER TABLE opinion_runs ALTER COLUMN stability_worst SET NOT NULL;
