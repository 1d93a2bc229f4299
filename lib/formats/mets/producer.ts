/**
 * Who wrote a METS file, and whether Strongroom may edit it.
 *
 * Strongroom edits only METS it wrote itself: those carry our PROFILE URI on the root element
 * and a metsHdr CREATOR agent named "Strongroom" (either is enough to recognise them). Every
 * other METS — including the Leeds Preservation API's own, whose IDs are built from paths and
 * whose structure we do not fully reproduce — is read-only.
 */
import type { AgentRecord, CollectedMets } from './collector.js';
import type { MetsModel, MetsProducer } from './model.js';

/** The PROFILE attribute our METS carry. */
export const STRONGROOM_PROFILE = 'urn:strongroom:mets-profile:managed-deposit:1';
/** The metsHdr CREATOR agent name our METS carry. */
export const STRONGROOM_AGENT = 'Strongroom';
/** The agent name the Leeds Preservation API writes. */
const LEEDS_AGENT = 'University of Leeds Digital Library Infrastructure Project';

/** Recognise the producer from what the collector saw. */
export function detectProducer(c: CollectedMets): MetsProducer {
  const creator = creatorAgent(c.agents);
  const names = [...c.agents.map((a) => `${a.name ?? ''} ${a.note ?? ''}`), ...c.premisAgents].join(' | ');
  const out = (kind: MetsProducer['kind']): MetsProducer =>
    creator?.name ? { kind, agent: creator.name } : { kind };
  if (c.profile === STRONGROOM_PROFILE || c.agents.some((a) => a.name === STRONGROOM_AGENT))
    return out('strongroom');
  if (c.agents.some((a) => a.name === LEEDS_AGENT)) return out('leeds-preservation-api');
  if (/goobi/i.test(names)) return out('goobi');
  if (c.rootLocal === 'mets-objects' || /eprints/i.test(names)) return out('eprints');
  if (/dspace/i.test(names) || /dspace/i.test(c.profile ?? '')) return out('dspace');
  if (c.mdTypes.has('DDI')) return out('dataverse');
  if (/archivematica/i.test(names) || c.structMapLabels.some((l) => /archivematica/i.test(l))) {
    return out('archivematica');
  }
  return out('other');
}

function creatorAgent(agents: AgentRecord[]): AgentRecord | undefined {
  return agents.find((a) => a.role === 'CREATOR' && a.name) ?? agents.find((a) => a.name);
}

/** True when the METS was written by Strongroom and may be edited through the API. */
export function isEditable(model: Pick<MetsModel, 'producer'>): boolean {
  return model.producer.kind === 'strongroom';
}

/** Alias of {@link isEditable}: the METS is one Strongroom wrote. */
export const isStrongroomMets = isEditable;
