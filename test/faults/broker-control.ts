// Stopping and starting the test's own broker with deploy/kafka/kafka.sh, for the broker-outage test.
// deploy/test-faults.sh exports the broker's run dir and ports; an outside broker is never touched.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const kafkaScript = fileURLToPath(new URL('../../deploy/kafka/kafka.sh', import.meta.url));

/** Why the broker cannot be stopped by the tests, or undefined when it can. */
export function brokerControlUnavailable(): string | undefined {
  const { FAULTS_BROKER_CONTROL, KAFKA_RUN_DIR, KAFKA_PORT, KAFKA_BROKERS } = process.env;
  if (FAULTS_BROKER_CONTROL === '1' && KAFKA_RUN_DIR && KAFKA_PORT) return undefined;
  return `the broker ${KAFKA_BROKERS ?? ''} is not the tests' own (run deploy/test-faults.sh without KAFKA_BROKERS)`;
}

function kafkaSh(command: 'stop' | 'start'): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(kafkaScript, [command], { env: process.env, timeout: 120000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(Math.round(performance.now() - started));
    });
  });
}

/** SIGTERMs the broker and resolves, with the milliseconds it took, once its process is gone. */
export const stopBroker = (): Promise<number> => kafkaSh('stop');

/** Starts the broker on its old data and resolves, with the milliseconds it took, once it answers. */
export const startBroker = (): Promise<number> => kafkaSh('start');
