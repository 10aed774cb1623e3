// Experts who worked on the challenge (stated expertise, a project addressing it, or an exchange on it as
// provider) and whose country of nationality has the language as an official language.
MATCH (expert:Expert)-[:NATIONALITY]->(country:Country)
WHERE $language IN (CASE WHEN valueType(country.officialLanguage) STARTS WITH 'LIST'
                         THEN country.officialLanguage ELSE [country.officialLanguage] END)
  AND (EXISTS { (expert)-[:EXPERT_IN]->(:Challenge {iri: $challenge}) }
       OR EXISTS { (expert)-[:PARTICIPATED_IN]->()-[:ADDRESSES_CHALLENGE]->(:Challenge {iri: $challenge}) }
       OR EXISTS { (expert)<-[:PROVIDER_EXPERT]-()-[:ADDRESSES_CHALLENGE]->(:Challenge {iri: $challenge}) })
RETURN DISTINCT expert.iri AS expert, country.iri AS country
ORDER BY expert
