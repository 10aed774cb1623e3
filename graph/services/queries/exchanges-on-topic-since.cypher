// Peer exchanges on the challenge held in or after the year, with seeker and provider.
MATCH (seeker:Country)<-[:SEEKER]-(exchange:PeerExchange)-[:ADDRESSES_CHALLENGE]->(:Challenge {iri: $challenge}),
      (exchange)-[:PROVIDER]->(provider:Country)
WHERE exchange.year >= $since
RETURN exchange.iri AS exchange, seeker.iri AS seeker, provider.iri AS provider, exchange.year AS year
ORDER BY year, exchange
