// Policy measures addressing the challenge adopted by countries of a UN region or sub-region.
MATCH (:Challenge {iri: $challenge})<-[:ADDRESSES_CHALLENGE]-(measure:PolicyMeasure)-[:ADOPTED_BY]->(country:Country)
WHERE EXISTS { (country)-[:IN_REGION|IN_SUB_REGION]->(:Region {iri: $region}) }
RETURN measure.iri AS measure, country.iri AS country
ORDER BY country, measure
