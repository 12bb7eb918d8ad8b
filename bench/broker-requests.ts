// How many requests of each kind the broker answered in a window, from its own request metrics
// (kafka.network RequestMetrics RequestsPerSec, read over JMX): what a transaction costs the broker, client round
// trips and the broker's own requests (transaction verification, commit markers) alike.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kafkaLibs = new URL('../deploy/kafka/libs/', import.meta.url).pathname;
const requestMetrics = 'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=*,version=*';

/** Requests answered since the broker started, by request type (every version summed). */
export type RequestCounts = Map<string, number>;

/** A broker whose request counts can be read, again and again. */
export interface BrokerRequests {
  read(): Promise<RequestCounts>;
}

/**
 * Parses JmxTool's one-time tsv report (a line per attribute: its name, a tab, its value) into counts by request
 * type. Names look like `kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Fetch,version=17:Count`.
 */
function parseRequestCounts(report: string): RequestCounts {
  const counts: RequestCounts = new Map();
  for (const line of report.split('\n')) {
    const [name = '', value = ''] = line.split('\t');
    const request = /[,:]request=([^,]+),version=\d+:Count$/.exec(name)?.[1];
    if (request !== undefined && value.trim() !== '') counts.set(request, (counts.get(request) ?? 0) + Number(value));
  }
  return counts;
}

/** The requests answered between two readings, by type; types with none left out. */
export function requestsBetween(before: RequestCounts, after: RequestCounts): RequestCounts {
  const between: RequestCounts = new Map();
  for (const [request, count] of after) {
    const made = count - (before.get(request) ?? 0);
    if (made > 0) between.set(request, made);
  }
  return between;
}

/**
 * The request counts of the broker JVM `pid`, read over its local JMX connector: `jcmd` starts the JVM's
 * management agent (no port is opened) and Kafka's own JmxTool reads the metrics. Rejects when the JDK's jcmd or
 * the agent is missing, so a caller can leave the figure out.
 */
export async function brokerRequests(pid: number): Promise<BrokerRequests> {
  await run('jcmd', [String(pid), 'ManagementAgent.start_local'], { timeout: 20000 });
  const { stdout } = await run('jcmd', [String(pid), 'PerfCounter.print'], { timeout: 20000, maxBuffer: 1 << 24 });
  const address = /sun\.management\.JMXConnectorServer\.address="([^"]+)"/.exec(stdout)?.[1];
  if (address === undefined) throw new Error(`broker ${pid} has no local JMX connector`);
  return {
    async read() {
      const { stdout: report } = await run(
        'java',
        [
          '-cp',
          `${kafkaLibs}*`,
          'org.apache.kafka.tools.JmxTool',
          '--jmx-url',
          address,
          '--object-name',
          requestMetrics,
          '--attributes',
          'Count',
          '--one-time',
          'true',
          '--report-format',
          'tsv',
        ],
        { timeout: 30000, maxBuffer: 1 << 24 },
      );
      return parseRequestCounts(report);
    },
  };
}
