// Temporal's time-skipping test server, for workflow tests that run days of timers in milliseconds
// (TestWorkflowEnvironment.createTimeSkipping). @temporalio/testing would download a native build of it at
// run time; nothing downloads at run time here, so the same server, as Temporal publishes it for the Java
// SDK (io.temporal:temporal-test-server, Maven Central), is installed once with Maven into
// .tools/temporal-test-server/<version>/ and started through a small launcher script.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installSystemPackages, runCommand } from './processes.js';

export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.plexsync</groupId>
  <artifactId>temporal-test-server-download</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;

const works = async (command: string, args: string[]) => (await runCommand(command, args)).code === 0;

/**
 * The launcher of the test server (its first argument is the port, as @temporalio/testing passes it):
 * $TEMPORAL_TEST_SERVER_PATH, else the project-local one, installed on first use (Java and Maven from the
 * system's packages when missing).
 */
export async function ensureTemporalTestServer(projectRoot: string): Promise<string> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} does not exist.`);
  }
  const home = join(projectRoot, '.tools', 'temporal-test-server', TEMPORAL_TEST_SERVER_VERSION);
  const launcher = join(home, 'test-server');
  if (existsSync(launcher)) return launcher;

  if (!(await works('java', ['-version'])) || !(await works('mvn', ['-v'])))
    await installSystemPackages(['default-jre-headless', 'maven']);
  console.error(
    `Installing Temporal's test server ${TEMPORAL_TEST_SERVER_VERSION} (Maven Central) into .tools/temporal-test-server …`,
  );
  mkdirSync(join(home, '..'), { recursive: true });
  // beside its final place, so that the finished folder is renamed into place in one step
  const work = mkdtempSync(join(home, '..', 'installing-'));
  try {
    writeFileSync(join(work, 'pom.xml'), POM);
    const lib = join(work, 'lib');
    const maven = await runCommand(
      'mvn',
      ['-q', '-B', '-f', join(work, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`],
      { cwd: work, timeoutMs: 600_000 },
    );
    if (maven.code !== 0)
      throw new Error(`Maven could not fetch io.temporal:temporal-test-server (exit ${maven.code}):\n${maven.output}`);
    writeFileSync(
      join(work, 'test-server'),
      `#!/bin/sh\n# Temporal's time-skipping test server; the first argument is the port.\nexec java -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n`,
    );
    chmodSync(join(work, 'test-server'), 0o755);
    rmSync(home, { recursive: true, force: true });
    renameSync(work, home);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return launcher;
}
