// Policy measures a country adopted, with their kind and start year.
MATCH (measure:PolicyMeasure)-[:ADOPTED_BY]->(:Country {iri: $country})
OPTIONAL MATCH (measure)-[:MEASURE_KIND]->(kind)
RETURN measure.iri AS measure, kind.iri AS kind, measure.startYear AS start
ORDER BY measure
