import type { Temperature } from "../schema.ts";
import { toInteger } from "./parse-fields.ts";

/** One /sys/class/hwmon/hwmonN directory as read: its attribute files' trimmed contents by file name. */
export interface HwmonChip {
  /** Directory name, `hwmonN`. */
  dir: string;
  files: ReadonlyMap<string, string>;
}

export interface HwmonProblem {
  sensor: string;
  message: string;
}

export interface HwmonReadings {
  temperatures: Temperature[];
  problems: HwmonProblem[];
}

const SENSOR_NAME_MAX = 255;

/**
 * Temperatures from hwmon chips (values in millidegrees Celsius). Sensor names are
 * `<chip name>/<label or tempN>`; when two chips share a name (two CPU packages, two NVMe drives) each
 * gets `@hwmonN` appended, and when two inputs of one chip share a label, `@tempN`. A reading that cannot
 * be a temperature is skipped and reported as a problem instead of poisoning the sample.
 */
export function parseHwmon(chips: readonly HwmonChip[]): HwmonReadings {
  const ordered = [...chips].sort((a, b) => indexOf(a.dir) - indexOf(b.dir));
  const chipNames = ordered.map((chip) => chip.files.get("name") || chip.dir);
  const temperatures: Temperature[] = [];
  const problems: HwmonProblem[] = [];
  ordered.forEach((chip, i) => {
    const name = chipNames[i] ?? chip.dir;
    const shared = chipNames.filter((other) => other === name).length > 1;
    const chipName = shared ? `${name}@${chip.dir}` : name;
    const inputs = [...chip.files.keys()]
      .map((file) => /^temp(\d+)_input$/.exec(file)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort((a, b) => Number(a) - Number(b));
    const labels = inputs.map((n) => chip.files.get(`temp${n}_label`) || `temp${n}`);
    inputs.forEach((n, j) => {
      const label = labels[j] ?? `temp${n}`;
      const unique = labels.filter((other) => other === label).length === 1;
      const sensor = `${chipName}/${unique ? label : `${label}@temp${n}`}`.slice(0, SENSOR_NAME_MAX);
      try {
        const reading = readTemperature(chip.files, n, sensor);
        if (reading === null)
          problems.push({ sensor, message: `implausible reading ${chip.files.get(`temp${n}_input`)}` });
        else temperatures.push(reading);
      } catch (err) {
        problems.push({ sensor, message: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  return { temperatures, problems };
}

function readTemperature(files: ReadonlyMap<string, string>, n: string, sensor: string): Temperature | null {
  const temp = toInteger(files.get(`temp${n}_input`), sensor, `temp${n}_input`) / 1000;
  if (!isPlausible(temp)) return null;
  return {
    sensor,
    temp_c: temp,
    high_c: threshold(files.get(`temp${n}_max`), sensor, `temp${n}_max`),
    critical_c: threshold(files.get(`temp${n}_crit`), sensor, `temp${n}_crit`),
  };
}

/**
 * A limit, or null when absent or a "no limit" sentinel: NVMe drives report 65261.85 °C (0xFFFF kelvin),
 * and -273.15 °C (0 K) is used the same way.
 */
function threshold(raw: string | undefined, sensor: string, what: string): number | null {
  if (raw === undefined) return null;
  const celsius = toInteger(raw, sensor, what) / 1000;
  return isPlausible(celsius) ? celsius : null;
}

function isPlausible(celsius: number): boolean {
  return celsius > -273.15 && celsius <= 1000;
}

function indexOf(dir: string): number {
  return Number(/(\d+)$/.exec(dir)?.[1] ?? Number.MAX_SAFE_INTEGER);
}
