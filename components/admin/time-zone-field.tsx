"use client";

import { useId, type ChangeEvent, type ReactNode } from "react";
import { Field } from "@/components/ui/field";

/**
 * A time zone typed freely, with the server's zone names offered as suggestions (a
 * datalist, so a keyboard user types "Asia/Ko" and picks from the list); the server
 * checks the name and answers a 400 naming `timeZone` for an unknown one.
 */
export function TimeZoneField({
  timeZones,
  value,
  onChange,
  hint,
  placeholder,
}: {
  /** From the server (timeZoneNames()), so server and browser render the same options. */
  timeZones: readonly string[];
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const listId = useId();
  return (
    <div>
      <Field
        label="Time zone"
        name="timeZone"
        list={listId}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        hint={hint}
        value={value}
        onChange={onChange}
      />
      <datalist id={listId}>
        {timeZones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </div>
  );
}
