import type { AlertParams } from "./rules";

/** A rule as the evaluator reads it: the stored row, its parameters parsed. */
export interface RuleToEvaluate {
  id: number;
  name: string;
  clientId: number | null;
  workflowId: number | null;
  params: AlertParams;
  severity: string;
  forSeconds: number;
  repeatSeconds: number;
  labels: Record<string, string>;
}

/** A client a rule is evaluated for. */
export interface ClientTarget {
  id: number;
  name: string;
  slug: string;
  timeZone: string;
}

/**
 * What a measurement found for one subject at one instant, when the rule's condition
 * holds there. Subjects whose condition does not hold are simply absent: for the state
 * machine, absent means "clear".
 */
export interface Observation {
  /** "client:<id>" or "workflow:<id>" (lib/alerts/subject.ts). */
  subject: string;
  clientId: number;
  workflowId: number | null;
  value: number;
  threshold: number | null;
  /** One sentence with the figure, for the alert list and its notifications. */
  summary: string;
  /** An app path to the runs behind the figure (the explorer, filtered), or a page. */
  link: string;
  details?: Record<string, unknown>;
}

/** Observations of one rule at each of the instants asked, in the same order. */
export type Measurements = Observation[][];
