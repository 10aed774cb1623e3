// Countries that adopted a measure addressing the challenge or gave an exchange on it, with how many.
MATCH (:Challenge {iri: $challenge})<-[:ADDRESSES_CHALLENGE]-(item)-[:ADOPTED_BY|PROVIDER]->(country:Country)
RETURN country.iri AS country, count(DISTINCT item) AS items
ORDER BY items DESC, country
