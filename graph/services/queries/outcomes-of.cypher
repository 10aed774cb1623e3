// Outcomes recorded for a project, measure or exchange, one row per outcome type (none when untyped).
MATCH (outcome:Outcome)-[:OUTCOME_OF]->(:Resource {iri: $record})
OPTIONAL MATCH (outcome)-[:OUTCOME_TYPE]->(type)
RETURN outcome.iri AS outcome, type.iri AS type
ORDER BY outcome, type
