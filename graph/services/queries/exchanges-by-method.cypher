// Peer exchanges that used a method of the toolkit, with seeker, provider and format.
MATCH (:Method {iri: $method})<-[:METHOD_USED]-(exchange:PeerExchange)-[:SEEKER]->(seeker:Country),
      (exchange)-[:PROVIDER]->(provider:Country)
OPTIONAL MATCH (exchange)-[:EXCHANGE_FORMAT]->(format)
RETURN exchange.iri AS exchange, seeker.iri AS seeker, provider.iri AS provider, format.iri AS format
ORDER BY exchange
