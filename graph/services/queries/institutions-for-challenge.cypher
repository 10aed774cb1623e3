// Institutions that implemented a measure addressing the challenge or gave an exchange on it, by country.
MATCH (:Challenge {iri: $challenge})<-[:ADDRESSES_CHALLENGE]-()-[:IMPLEMENTED_BY|PROVIDER_INSTITUTION]->(institution:Institution)
MATCH (institution)-[:BASED_IN]->(country:Country)
RETURN DISTINCT institution.iri AS institution, country.iri AS country
ORDER BY country, institution
