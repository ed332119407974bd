/** Cluster-wide counters that are part of the saved state. */
export class ClusterState {
  private nextIp = 10;

  /** Service cluster IPs from 10.96.0.0/16 (10.96.0.1 is the kubernetes service). */
  allocateIp = (): string => {
    const n = this.nextIp++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };

  toJSON(): { nextIp: number } {
    return { nextIp: this.nextIp };
  }

  restore(saved: { nextIp?: number } | undefined): void {
    if (saved?.nextIp) this.nextIp = saved.nextIp;
  }
}
