// Policy measures addressing the challenge, with the adopting country.
MATCH (:Challenge {iri: $challenge})<-[:ADDRESSES_CHALLENGE]-(measure:PolicyMeasure)-[:ADOPTED_BY]->(country:Country)
RETURN measure.iri AS measure, country.iri AS country
ORDER BY country, measure
