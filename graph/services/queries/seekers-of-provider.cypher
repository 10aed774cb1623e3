// Who learnt from a country: exchanges where it was the knowledge-provider, with the seeker.
MATCH (:Country {iri: $country})<-[:PROVIDER]-(exchange:PeerExchange)-[:SEEKER]->(seeker:Country)
RETURN exchange.iri AS exchange, seeker.iri AS seeker
ORDER BY seeker, exchange
