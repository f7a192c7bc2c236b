-- Survey statistics. $component is the survey component; answers are
-- filtered by the response's region and the answer's time.

-- name: survey-questions
SELECT question_id, page, position, type, prompt, options, min_value, max_value
FROM dim_questions
WHERE component_id = $component
ORDER BY page, position;

-- name: survey-respondents
-- Responses that answered each question (the denominator of its shares;
-- for a multiple-choice question each option is counted against it).
SELECT question_id, count(DISTINCT response_id)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY question_id;

-- name: survey-choices
-- Responses per option; for a ranking question, first places only.
SELECT question_id, choice, count(DISTINCT response_id)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component
  AND choice IS NOT NULL AND (rank IS NULL OR rank = 1)
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY ALL
ORDER BY question_id, choice;

-- name: survey-numbers
-- Numeric and Likert answers as (value, how many): histograms, Likert
-- counts and means are computed from these.
SELECT question_id, number, count(*)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component
  AND number IS NOT NULL
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY ALL
ORDER BY question_id, number;

-- name: survey-crosstab
-- Responses by their answers to two questions (choices or numbers): each
-- option of a multiple-choice answer counts once.
WITH a AS (
    SELECT DISTINCT response_id, coalesce(choice::DOUBLE, number) AS v
    FROM survey_answers
    WHERE component_id = $component AND question_id = $question AND (rank IS NULL OR rank = 1)
      AND ($region = '' OR region_code = $region)
      AND occurred_at >= $from AND occurred_at < $to
), b AS (
    SELECT DISTINCT response_id, coalesce(choice::DOUBLE, number) AS v
    FROM survey_answers
    WHERE component_id = $component AND question_id = $question2 AND (rank IS NULL OR rank = 1)
)
SELECT a.v AS row_value, b.v AS col_value, count(*)::BIGINT AS n
FROM a JOIN b USING (response_id)
WHERE a.v IS NOT NULL AND b.v IS NOT NULL
GROUP BY ALL
ORDER BY 1, 2;

-- name: survey-by-region
-- Responses by their answer to a question and their region.
SELECT coalesce(choice::DOUBLE, number) AS row_value, region_code AS col_value,
       count(DISTINCT response_id)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component AND question_id = $question AND (rank IS NULL OR rank = 1)
  AND coalesce(choice::DOUBLE, number) IS NOT NULL
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY ALL
ORDER BY 1, 2;

-- name: survey-dropoff
-- Responses by the last page reached, and whether they were completed.
SELECT last_page, count(*)::BIGINT AS responses,
       count(completed_at)::BIGINT AS completed
FROM survey_responses
WHERE component_id = $component
  AND ($region = '' OR region_code = $region)
  AND started_at >= $from AND started_at < $to
GROUP BY last_page
ORDER BY last_page;

-- name: survey-duration
-- Minutes from start to completion: quartiles and count.
SELECT count(*)::BIGINT AS n,
       coalesce(quantile_cont(secs, 0.25), 0) / 60 AS q1,
       coalesce(quantile_cont(secs, 0.5), 0) / 60 AS median,
       coalesce(quantile_cont(secs, 0.75), 0) / 60 AS q3
FROM (
    SELECT epoch(completed_at) - epoch(started_at) AS secs
    FROM survey_responses
    WHERE component_id = $component AND completed_at IS NOT NULL
      AND ($region = '' OR region_code = $region)
      AND started_at >= $from AND started_at < $to
);
