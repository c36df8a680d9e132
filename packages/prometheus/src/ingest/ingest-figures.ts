/** What one partition looks like from this worker. */
export class PartitionFigures {
  owned = false;
  token: number | undefined;
  claims = 0;
  readonly stops = new Map<string, number>();
  /** Written and duplicates of earlier claims (the Ingestor counts each claim from 0). */
  writtenBefore = 0;
  duplicatesBefore = 0;
  /** Written and duplicates of the current (or last) claim. */
  written = 0;
  duplicates = 0;
  takeoverBackfillSeconds = 0;
  /** Age of the last post read, ms, at the last progress report. */
  postAgeMs: number | undefined;

  constructor(readonly partition: number) {}

  /** A new claim: what the previous one counted becomes history. */
  claimed(token: number): void {
    this.writtenBefore += this.written;
    this.duplicatesBefore += this.duplicates;
    this.written = 0;
    this.duplicates = 0;
    this.claims++;
    this.token = token;
    this.owned = true;
  }

  /** Written since the worker started. */
  get writtenTotal(): number {
    return this.writtenBefore + this.written;
  }

  get duplicatesTotal(): number {
    return this.duplicatesBefore + this.duplicates;
  }
}

/** One ingest worker's figures. */
export class IngestFigures {
  readonly partitions = new Map<number, PartitionFigures>();
  liveWorkers: number | undefined;
  targetPartitions: number | undefined;
  heldPartitions: number | undefined;
  errors = 0;

  constructor(readonly worker: string) {}

  partition(partition: number): PartitionFigures {
    let figures = this.partitions.get(partition);
    if (figures === undefined) {
      figures = new PartitionFigures(partition);
      this.partitions.set(partition, figures);
    }
    return figures;
  }
}
