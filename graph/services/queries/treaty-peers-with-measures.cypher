// Countries party to a treaty the country is party to (copyright treaties, 2005 Convention) that adopted
// measures addressing the challenge: one row per shared treaty, peer and measure.
MATCH (country:Country {iri: $country})<-[:MEMBER_COUNTRY]-(:TreatyMembership)-[:TREATY]->(treaty:Treaty)
MATCH (treaty)<-[:TREATY]-(:TreatyMembership)-[:MEMBER_COUNTRY]->(peer:Country)
WHERE peer.iri <> country.iri
MATCH (:Challenge {iri: $challenge})<-[:ADDRESSES_CHALLENGE]-(measure:PolicyMeasure)-[:ADOPTED_BY]->(peer)
RETURN treaty.iri AS treaty, peer.iri AS peer, measure.iri AS measure
ORDER BY treaty, peer, measure
