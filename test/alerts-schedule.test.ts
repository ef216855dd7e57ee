import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { countExpectedRuns, describeSchedule, expectedRunTimes } from "@/lib/alerts/schedule-trigger";
import { CronTimes } from "@/lib/core/cron-times";
import type { ScheduleTriggerNode } from "@/lib/core/vocabulary";

/**
 * The missed-schedule rule's reading of n8n's Schedule Trigger and Cron nodes. Parameters
 * are written as n8n stores them: a value equal to the node's default is left out, so
 * `{ rule: { interval: [{}] } }` is the freshly added trigger (every day at midnight).
 */
const SCHEDULE = "n8n-nodes-base.scheduleTrigger";
const CRON = "n8n-nodes-base.cron";

const schedule = (...interval: object[]): ScheduleTriggerNode => ({
  name: "Schedule Trigger",
  type: SCHEDULE,
  parameters: { rule: { interval } },
});
const cronNode = (...item: object[]): ScheduleTriggerNode => ({
  name: "Cron",
  type: CRON,
  parameters: { triggerTimes: { item } },
});
const understood = (node: ScheduleTriggerNode) =>
  describeSchedule([node]).understood.map(({ cron, text }) => ({ cron, text }));
const reasons = (node: ScheduleTriggerNode) => describeSchedule([node]).ignored.map((i) => i.reason);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (s: string) => new Date(s);

describe("describeSchedule: Schedule Trigger rules", () => {
  it.each([
    [{}, "0 0 0 * * *", "daily at 00:00"],
    [{ triggerAtHour: 9, triggerAtMinute: 30 }, "0 30 9 * * *", "daily at 09:30"],
    [{ field: "seconds", secondsInterval: 30 }, "*/30 * * * * *", "every 30 seconds"],
    [{ field: "seconds" }, "*/30 * * * * *", "every 30 seconds"],
    [{ field: "minutes", minutesInterval: 15 }, "0 */15 * * * *", "every 15 minutes"],
    [{ field: "minutes" }, "0 */5 * * * *", "every 5 minutes"],
    [{ field: "minutes", minutesInterval: 1 }, "0 * * * * *", "every minute"],
    [{ field: "minutes", minutesInterval: 7 }, "0 */7 * * * *", "every 7 minutes (restarting each hour)"],
    [{ field: "hours" }, "0 0 * * * *", "every hour at :00"],
    [{ field: "hours", triggerAtMinute: 30 }, "0 30 * * * *", "every hour at :30"],
    [
      { field: "hours", hoursInterval: 6, triggerAtMinute: 15 },
      "0 15 */6 * * *",
      "every 6 hours at :15 (from midnight)",
    ],
    [{ field: "days", daysInterval: 1, triggerAtHour: 18 }, "0 0 18 * * *", "daily at 18:00"],
    [{ field: "weeks" }, "0 0 0 * * 0", "Sundays at 00:00"],
    [{ field: "weeks", triggerAtDay: [5, 1], triggerAtHour: 8 }, "0 0 8 * * 1,5", "Mondays and Fridays at 08:00"],
    [
      { field: "weeks", triggerAtDay: [1, 2, 3, 4, 5], triggerAtHour: 7, triggerAtMinute: 45 },
      "0 45 7 * * 1,2,3,4,5",
      "Mondays to Fridays at 07:45",
    ],
    [{ field: "weeks", triggerAtDay: [1, 3, 5] }, "0 0 0 * * 1,3,5", "Mondays, Wednesdays and Fridays at 00:00"],
    [{ field: "weeks", triggerAtDay: [] }, "0 0 0 * * *", "daily at 00:00"],
    [{ field: "months" }, "0 0 0 1 * *", "monthly on the 1st at 00:00"],
    [{ field: "months", triggerAtDayOfMonth: 15, triggerAtHour: 6 }, "0 0 6 15 * *", "monthly on the 15th at 06:00"],
    [
      { field: "months", triggerAtDayOfMonth: 31 },
      "0 0 0 31 * *",
      "monthly on the 31st at 00:00 (not in months without that day)",
    ],
    [{ field: "cronExpression", expression: "0 9 * * 1-5" }, "0 9 * * 1-5", "cron 0 9 * * 1-5"],
    [{ field: "cronExpression", expression: " 30 0 */2 * * * " }, "30 0 */2 * * *", "cron 30 0 */2 * * *"],
  ])("reads %j as %s", (interval, cron, text) => {
    expect(understood(schedule(interval))).toEqual([{ cron, text }]);
  });

  it("reads every rule of a node and every enabled node, and names the node", () => {
    const nodes: ScheduleTriggerNode[] = [
      schedule({ field: "hours", triggerAtMinute: 5 }, { triggerAtHour: 12 }),
      { ...cronNode({ hour: 9 }), name: "Morning" },
      { ...schedule({ field: "minutes" }), name: "Off", disabled: true },
    ];
    expect(describeSchedule(nodes)).toEqual({
      understood: [
        { node: "Schedule Trigger", cron: "0 5 * * * *", text: "every hour at :05" },
        { node: "Schedule Trigger", cron: "0 0 12 * * *", text: "daily at 12:00" },
        { node: "Morning", cron: "0 0 9 * * *", text: "daily at 09:00" },
      ],
      ignored: [{ node: "Off", reason: "the node is disabled" }],
    });
  });
});

describe("describeSchedule: legacy Cron node trigger times", () => {
  it.each([
    [{}, "0 0 14 * * *", "daily at 14:00"],
    [{ mode: "everyMinute" }, "0 * * * * *", "every minute"],
    [{ mode: "everyHour", minute: 45 }, "0 45 * * * *", "every hour at :45"],
    [{ mode: "everyDay", hour: 6, minute: 30 }, "0 30 6 * * *", "daily at 06:30"],
    [{ mode: "everyWeek", hour: 8, weekday: "5" }, "0 0 8 * * 5", "Fridays at 08:00"],
    [{ mode: "everyWeek" }, "0 0 14 * * 1", "Mondays at 14:00"],
    [{ mode: "everyMonth", dayOfMonth: 2, hour: 3 }, "0 0 3 2 * *", "monthly on the 2nd at 03:00"],
    [{ mode: "everyX", value: 10, unit: "minutes" }, "0 */10 * * * *", "every 10 minutes"],
    [{ mode: "custom", cronExpression: "0 0 */4 * * *" }, "0 0 */4 * * *", "cron 0 0 */4 * * *"],
    [{ mode: "custom" }, "* * * * * *", "cron * * * * * *"],
  ])("reads %j as %s", (item, cron, text) => {
    expect(understood(cronNode(item))).toEqual([{ cron, text }]);
  });
});

describe("describeSchedule: forms it ignores, with the reason", () => {
  it.each([
    [
      schedule({ daysInterval: 3, triggerAtHour: 9 }),
      /^every 3 days: n8n counts these from when the workflow was activated/,
    ],
    [schedule({ field: "weeks", weeksInterval: 2, triggerAtDay: [1] }), /^every 2 weeks: n8n counts/],
    [schedule({ field: "months", monthsInterval: 3 }), /^every 3 months: n8n counts/],
    [schedule({ field: "hours", hoursInterval: 5 }), /^every 5 hours: n8n counts/],
    [schedule({ field: "years" }), /^unknown rule "years"$/],
    [
      schedule({ field: "cronExpression", expression: "61 * * * *" }),
      /^the cron expression "61 \* \* \* \*" cannot be read/,
    ],
    [schedule({ field: "cronExpression", expression: "@daily *" }), /cannot be read/],
    [schedule({ field: "cronExpression", expression: "0 0 9 * * * 2030" }), /cannot be read/],
    [schedule({ field: "cronExpression" }), /^the cron expression is empty$/],
    [schedule({ field: "minutes", minutesInterval: 90 }), /^minutesInterval 90 is out of range \(1-59\)$/],
    [schedule({ field: "minutes", minutesInterval: "often" }), /^minutesInterval is not a whole number/],
    [schedule({ field: "minutes", minutesInterval: "={{ $vars.every }}" }), /^it uses an n8n expression/],
    [schedule({ field: "cronExpression", expression: "={{ $json.cron }}" }), /^it uses an n8n expression/],
    [{ name: "S", type: SCHEDULE, parameters: { rule: "={{ $json.rule }}" } }, /^it uses an n8n expression/],
    [{ name: "S", type: SCHEDULE, parameters: {} }, /^no trigger rules are stored$/],
    [schedule(), /^no trigger rules: it never runs$/],
    [{ name: "C", type: CRON, parameters: { triggerTimes: {} } }, /^no trigger times: it never runs$/],
    [cronNode({ mode: "everyX", value: 2 }), /^every 2 hours: n8n picks the minute of these runs itself$/],
    [cronNode({ mode: "everyX", value: 90, unit: "minutes" }), /out of range/],
    [cronNode({ mode: "everyFortnight" }), /^unknown mode "everyFortnight"$/],
    [{ ...schedule({}), disabled: true }, /^the node is disabled$/],
    [{ name: "W", type: "n8n-nodes-base.webhook", parameters: {} }, /is not a schedule trigger$/],
  ])("%j", (node, reason) => {
    const d = describeSchedule([node]);
    expect(d.understood).toEqual([]);
    expect(d.ignored).toHaveLength(1);
    expect(d.ignored[0].reason).toMatch(reason);
  });

  it("ignores one rule and keeps the others of the same node", () => {
    const node = schedule({ field: "minutes", minutesInterval: 30 }, { daysInterval: 2 });
    expect(understood(node)).toEqual([{ cron: "0 */30 * * * *", text: "every 30 minutes" }]);
    expect(reasons(node)).toEqual([expect.stringMatching(/^every 2 days/)]);
  });
});

describe("expectedRunTimes", () => {
  it("lists the times in [from, to): from included, to excluded", () => {
    const nodes = [schedule({ field: "minutes", minutesInterval: 15 })];
    expect(iso(expectedRunTimes(nodes, "UTC", at("2025-06-02T10:00:00Z"), at("2025-06-02T11:00:00Z")))).toEqual([
      "2025-06-02T10:00:00.000Z",
      "2025-06-02T10:15:00.000Z",
      "2025-06-02T10:30:00.000Z",
      "2025-06-02T10:45:00.000Z",
    ]);
    expect(countExpectedRuns(nodes, "UTC", at("2025-06-02T10:00:01Z"), at("2025-06-02T11:00:01Z"))).toBe(4);
  });

  it("runs a daily 02:30 in Europe/Berlin once a day across the last Sunday of March and of October", () => {
    const nodes = [schedule({ triggerAtHour: 2, triggerAtMinute: 30 })];
    // 30 March 2025 has no 02:30: it runs when the clock jumps to 03:00 (01:00 UTC).
    expect(
      iso(expectedRunTimes(nodes, "Europe/Berlin", at("2025-03-28T00:00:00Z"), at("2025-04-01T00:00:00Z"))),
    ).toEqual([
      "2025-03-28T01:30:00.000Z",
      "2025-03-29T01:30:00.000Z",
      "2025-03-30T01:00:00.000Z",
      "2025-03-31T00:30:00.000Z",
    ]);
    // 26 October 2025 has 02:30 twice: it runs on the first (summer time).
    expect(
      iso(expectedRunTimes(nodes, "Europe/Berlin", at("2025-10-25T00:00:00Z"), at("2025-10-28T00:00:00Z"))),
    ).toEqual(["2025-10-25T00:30:00.000Z", "2025-10-26T00:30:00.000Z", "2025-10-27T01:30:00.000Z"]);
  });

  it("counts an interval rule over a 23-hour and a 25-hour local day", () => {
    const nodes = [schedule({ field: "minutes", minutesInterval: 15 })];
    const berlinDay = (from: string, to: string) => countExpectedRuns(nodes, "Europe/Berlin", at(from), at(to));
    expect(berlinDay("2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z")).toBe(23 * 4);
    expect(berlinDay("2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z")).toBe(25 * 4);
  });

  it("reads the weekdays in the workflow's zone, across a DST change", () => {
    const nodes = [schedule({ field: "weeks", triggerAtDay: [1, 5], triggerAtHour: 8 })];
    expect(
      iso(expectedRunTimes(nodes, "America/New_York", at("2025-03-06T00:00:00Z"), at("2025-03-12T00:00:00Z"))),
    ).toEqual(["2025-03-07T13:00:00.000Z", "2025-03-10T12:00:00.000Z"]);
    // The same rule with the caller's fallback zone.
    expect(
      iso(expectedRunTimes(nodes, "Asia/Kolkata", at("2025-03-06T00:00:00Z"), at("2025-03-12T00:00:00Z"))),
    ).toEqual(["2025-03-07T02:30:00.000Z", "2025-03-10T02:30:00.000Z"]);
  });

  it("merges a time two rules share, sorts across nodes, and skips months without the day", () => {
    const nodes = [
      schedule({ field: "minutes", minutesInterval: 30 }),
      cronNode({ mode: "everyHour", minute: 0 }),
      schedule({ field: "hours", triggerAtMinute: 10 }),
    ];
    expect(iso(expectedRunTimes(nodes, "UTC", at("2025-06-02T10:00:00Z"), at("2025-06-02T11:00:00Z")))).toEqual([
      "2025-06-02T10:00:00.000Z",
      "2025-06-02T10:10:00.000Z",
      "2025-06-02T10:30:00.000Z",
    ]);
    const monthly = [schedule({ field: "months", triggerAtDayOfMonth: 31, triggerAtHour: 12 })];
    expect(iso(expectedRunTimes(monthly, "UTC", at("2025-01-01T00:00:00Z"), at("2025-06-01T00:00:00Z")))).toEqual([
      "2025-01-31T12:00:00.000Z",
      "2025-03-31T12:00:00.000Z",
      "2025-05-31T12:00:00.000Z",
    ]);
  });

  it("expects nothing from ignored or disabled rules, and stops at max", () => {
    const ignored = [schedule({ daysInterval: 2 }), { ...schedule({ field: "minutes" }), disabled: true }];
    expect(expectedRunTimes(ignored, "UTC", at("2025-06-01T00:00:00Z"), at("2025-06-08T00:00:00Z"))).toEqual([]);
    const everySecond = [schedule({ field: "seconds", secondsInterval: 1 })];
    const day = [at("2025-06-01T00:00:00Z"), at("2025-06-02T00:00:00Z")] as const;
    expect(countExpectedRuns(everySecond, "UTC", ...day)).toBe(86_400);
    expect(countExpectedRuns(everySecond, "UTC", ...day, 1_000)).toBe(1_000);
  });

  it("refuses a zone Intl does not know", () => {
    expect(() => expectedRunTimes([schedule({})], "Mars/Olympus", at("2025-06-01"), at("2025-06-02"))).toThrow(
      RangeError,
    );
  });

  it("counts the same over sliding windows once its days are known", () => {
    const nodes = [schedule({ field: "minutes", minutesInterval: 10 })];
    const week = 7 * 86_400_000;
    const start = Date.parse("2025-06-01T00:00:00Z");
    expectedRunTimes(nodes, "Europe/Berlin", new Date(start), new Date(start + week + 86_400_000));
    for (let i = 0; i < 200; i++) {
      const from = start + i * 5 * 60_000;
      expect(countExpectedRuns(nodes, "Europe/Berlin", new Date(from), new Date(from + week))).toBe(1008);
    }
  });
});

describe("CronTimes: croner's times, computed per local day", () => {
  const cases: Array<[string, string, string]> = [
    ["0 30 2 * * *", "Europe/Berlin", "2025-03-28T00:00:00Z"],
    ["0 30 2 * * *", "Europe/Berlin", "2025-10-24T00:00:00Z"],
    ["0 */15 * * * *", "Europe/Berlin", "2025-10-25T12:00:00Z"],
    ["0 0 */2 * * *", "America/New_York", "2025-03-08T00:00:00Z"],
    ["0 0 */2 * * *", "America/New_York", "2025-11-01T00:00:00Z"],
    ["15 1 * * 0", "America/New_York", "2025-11-01T00:00:00Z"],
    ["0 0 0 * * *", "America/Santiago", "2025-09-05T00:00:00Z"],
    ["0 45 1 * * *", "Australia/Lord_Howe", "2025-04-04T00:00:00Z"],
    ["0 0 8 * * 1-5", "Australia/Sydney", "2025-10-03T00:00:00Z"],
    ["0 9 1,15 * 1", "Asia/Kolkata", "2024-12-30T00:00:00Z"],
    ["0 0 12 L * *", "UTC", "2025-01-28T00:00:00Z"],
  ];
  it.each(cases)("%s in %s from %s", (spec, zone, start) => {
    const from = Date.parse(start);
    const to = from + 4 * 86_400_000;
    const cron = new Cron(spec, { timezone: zone });
    const expected: number[] = [];
    for (let d = cron.nextRun(new Date(from - 1)); d && d.getTime() < to; d = cron.nextRun(d))
      expected.push(d.getTime());
    expect(new CronTimes(spec, zone).between(from, to)).toEqual(expected);
  });
});
