// The challenges a country's own projects set out to address (its recorded diagnostic), with how many projects.
MATCH (:Country {iri: $country})<-[:BENEFICIARY]-(project:Project)-[:ADDRESSES_CHALLENGE]->(challenge:Challenge)
RETURN challenge.iri AS challenge, count(DISTINCT project) AS projects
ORDER BY projects DESC, challenge
