// Projects of a programme with their beneficiary country and start year.
MATCH (:Programme {iri: $programme})<-[:PART_OF_PROGRAMME]-(project:Project)-[:BENEFICIARY]->(country:Country)
RETURN project.iri AS project, country.iri AS country, project.startYear AS start
ORDER BY country, project
