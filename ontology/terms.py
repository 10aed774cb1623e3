"""The terms of the peergraph ontology as a closed namespace: ``PG.Country``, ``PG.seeker``…

GENERATED from ontology/peergraph.ttl by ``peergraph ontology generate``. Do not edit.
An unknown attribute raises ``AttributeError``, so a typo cannot mint a term that the ontology lacks.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class PG(DefinedNamespace):
    """Terms of the peergraph ontology."""

    _fail = True
    _NS = Namespace("https://w3id.org/peergraph/ontology#")

    # Classes
    Challenge: URIRef  # Challenge
    Country: URIRef  # Country
    CreativeCity: URIRef  # Creative City
    CreativeField: URIRef  # Creative field
    DiagnosticAssessment: URIRef  # Diagnostic assessment
    ExchangeFormat: URIRef  # Exchange format
    Expert: URIRef  # Expert
    GoodPractice: URIRef  # Good practice
    IncomeGroup: URIRef  # Income group
    IngestRun: URIRef  # Ingest run
    Institution: URIRef  # Institution
    InstitutionType: URIRef  # Institution type
    MeasureKind: URIRef  # Measure kind
    Method: URIRef  # Method
    MonitoringGoal: URIRef  # Monitoring goal
    Obstacle: URIRef  # Obstacle
    Outcome: URIRef  # Outcome
    OutcomeType: URIRef  # Outcome type
    Peer: URIRef  # Peer
    PeerExchange: URIRef  # Peer exchange
    PeerRole: URIRef  # Peer role
    Phase: URIRef  # Phase
    PolicyArea: URIRef  # Policy area
    PolicyMeasure: URIRef  # Policy measure
    Principle: URIRef  # Principle
    Programme: URIRef  # Programme
    Project: URIRef  # Project
    Region: URIRef  # Region
    Sector: URIRef  # Cultural sector
    Source: URIRef  # Source
    SourceFile: URIRef  # Source file
    SuccessFactor: URIRef  # Success factor
    TeamMemberKind: URIRef  # Team member kind
    Treaty: URIRef  # Treaty
    TreatyMembership: URIRef  # Treaty membership
    Visibility: URIRef  # Visibility

    # Object properties
    addressesChallenge: URIRef  # addresses challenge
    adoptedBy: URIRef  # adopted by
    assessmentOf: URIRef  # assessment of
    basedIn: URIRef  # based in
    basedOnMeasure: URIRef  # based on measure
    beneficiary: URIRef  # beneficiary country
    beneficiaryOf: URIRef  # beneficiary of
    creativeField: URIRef  # creative field
    currentGraph: URIRef  # current graph
    exchangeFormat: URIRef  # exchange format
    expertIn: URIRef  # expert in
    hasPeerRole: URIRef  # has peer role
    identifiesChallenge: URIRef  # identifies challenge
    implementedBy: URIRef  # implemented by
    inCountry: URIRef  # in country
    inPhase: URIRef  # in phase
    inRegion: URIRef  # in region
    inSubRegion: URIRef  # in sub-region
    incomeGroup: URIRef  # income group
    institutionType: URIRef  # institution type
    measureKind: URIRef  # measure kind
    memberCountry: URIRef  # member country
    methodUsed: URIRef  # method used
    monitoringArea: URIRef  # monitoring area
    nationality: URIRef  # nationality or base
    obstacleMet: URIRef  # obstacle met
    outcomeOf: URIRef  # outcome of
    outcomeType: URIRef  # outcome type
    partOfProgramme: URIRef  # part of programme
    partOfProject: URIRef  # part of project
    participatedIn: URIRef  # participated in
    policyArea: URIRef  # policy area
    practiceOf: URIRef  # practice of
    provider: URIRef  # knowledge-provider
    providerExpert: URIRef  # providing expert
    providerInstitution: URIRef  # providing institution
    restrictedGraph: URIRef  # restricted graph
    sector: URIRef  # sector
    seeker: URIRef  # knowledge-seeker
    successFactorSeen: URIRef  # success factor seen
    suitedToPhase: URIRef  # suited to phase
    treaty: URIRef  # treaty
    visibility: URIRef  # visibility

    # Datatype properties
    aims: URIRef  # aims
    amountUSD: URIRef  # amount (US dollars)
    challengesNote: URIRef  # challenges as stated
    conventionParty: URIRef  # Party to the 2005 Convention
    conventionPartySince: URIRef  # Party to the 2005 Convention since
    designationYear: URIRef  # designation year
    endYear: URIRef  # end year
    expertiseNote: URIRef  # expertise as stated
    fileName: URIRef  # file name
    identifier: URIRef  # identifier
    implementerNote: URIRef  # implementer as stated
    inForceDate: URIRef  # in force since
    instrumentDate: URIRef  # instrument date
    instrumentType: URIRef  # instrument
    iso2: URIRef  # ISO 3166-1 alpha-2 code
    iso3: URIRef  # ISO 3166-1 alpha-3 code
    m49Code: URIRef  # UN M49 code
    methodsNote: URIRef  # methods as stated
    officialLanguage: URIRef  # official language
    policyAreaNote: URIRef  # policy area as stated
    providerNote: URIRef  # provider as stated
    recordCount: URIRef  # record count
    sectorNote: URIRef  # sectors as stated
    sha256: URIRef  # SHA-256 checksum
    signatureDate: URIRef  # signature date
    sourceName: URIRef  # source name
    startYear: URIRef  # start year
    topic: URIRef  # topic
    tripleCount: URIRef  # triple count
    typeNote: URIRef  # type as stated
    unMember: URIRef  # UN member state
    unionDigest: URIRef  # union digest
    year: URIRef  # year
