import { useId, type ComponentProps, type ReactNode } from "react";
import { FOCUS_RING } from "./focus";

const LABEL = "block text-sm font-medium text-gray-800";
/** 16 px text on phones (iOS zooms into smaller fields), 14 px from sm up. Red border when aria-invalid. */
const INPUT = `block w-full rounded border border-gray-300 bg-white px-3 py-2 text-base text-gray-900 sm:text-sm aria-[invalid=true]:border-red-600 ${FOCUS_RING}`;
export const HINT = "mt-1 text-xs text-gray-600";
const FIELD_ERROR = "mt-1 text-xs text-red-700";

interface FieldOwnProps {
  label: ReactNode;
  /** Shown under the field and read with it. */
  hint?: ReactNode;
  /** Why this field is wrong: shown under it, read with it, and marks it invalid. */
  error?: ReactNode;
  /** Refused by a message shown elsewhere (a form-level alert), whose id is `errorId`. */
  invalid?: boolean;
  errorId?: string;
  /** Ids of other text that describes the field, e.g. a warning above it. */
  describedBy?: string;
  /** For screen readers only, where the layout already says what the field is. */
  hideLabel?: boolean;
  /** Classes of the wrapper (grid placement, flex sizing). */
  className?: string;
  /** Extra classes of the control, e.g. font-mono. */
  controlClassName?: string;
}

/** The ids and ARIA that tie a control to its label, hint and error. */
function useField({ hint, error, invalid, errorId, describedBy, hideLabel, controlClassName }: FieldOwnProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const ownErrorId = error ? `${id}-error` : undefined;
  const isInvalid = Boolean(error) || Boolean(invalid);
  const described = [describedBy, hintId, ownErrorId, invalid ? errorId : undefined].filter(Boolean).join(" ");
  return {
    hintId,
    ownErrorId,
    control: {
      id,
      className: `${hideLabel ? "" : "mt-1 "}${INPUT}${controlClassName ? ` ${controlClassName}` : ""}`,
      "aria-invalid": isInvalid || undefined,
      "aria-describedby": described || undefined,
    },
  };
}

function FieldFrame({
  props,
  field,
  children,
}: {
  props: FieldOwnProps;
  field: ReturnType<typeof useField>;
  children: ReactNode;
}) {
  return (
    <div className={props.className}>
      <label htmlFor={field.control.id} className={props.hideLabel ? "sr-only" : LABEL}>
        {props.label}
      </label>
      {children}
      {props.hint && (
        <p id={field.hintId} className={HINT}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={field.ownErrorId} className={FIELD_ERROR}>
          {props.error}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<ComponentProps<"input">, "id" | "className" | "aria-invalid" | "aria-describedby">;
type SelectProps = Omit<ComponentProps<"select">, "id" | "className" | "aria-invalid" | "aria-describedby">;
type TextAreaProps = Omit<ComponentProps<"textarea">, "id" | "className" | "aria-invalid" | "aria-describedby">;

function split<T extends FieldOwnProps>(props: T) {
  const { label, hint, error, invalid, errorId, describedBy, hideLabel, className, controlClassName, ...rest } = props;
  return {
    own: { label, hint, error, invalid, errorId, describedBy, hideLabel, className, controlClassName },
    rest,
  };
}

/** A labelled input whose hint and error are tied to it, so screen readers read them along. */
export function Field(props: FieldOwnProps & InputProps) {
  const { own, rest } = split(props);
  const field = useField(own);
  return (
    <FieldFrame props={own} field={field}>
      <input {...rest} {...field.control} />
    </FieldFrame>
  );
}

/** The same for a <select>; the options are its children. */
export function SelectField(props: FieldOwnProps & SelectProps) {
  const { own, rest } = split(props);
  const field = useField(own);
  return (
    <FieldFrame props={own} field={field}>
      <select {...rest} {...field.control} />
    </FieldFrame>
  );
}

/** The same for a <textarea>: several lines, e.g. one item a line. */
export function TextAreaField(props: FieldOwnProps & TextAreaProps) {
  const { own, rest } = split(props);
  const field = useField(own);
  return (
    <FieldFrame props={own} field={field}>
      <textarea {...rest} {...field.control} />
    </FieldFrame>
  );
}

/** An on/off switch (a checkbox with role="switch") with its label beside it and a hint under it. */
export function SwitchField({
  label,
  hint,
  className,
  ...input
}: { label: ReactNode; hint?: ReactNode; className?: string } & Omit<
  ComponentProps<"input">,
  "id" | "type" | "role" | "className" | "aria-describedby"
>) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input
          {...input}
          id={id}
          type="checkbox"
          role="switch"
          aria-describedby={hintId}
          className="h-5 w-5 rounded border-gray-300 text-indigo-600"
        />
        <label htmlFor={id} className="text-sm font-medium text-gray-800">
          {label}
        </label>
      </div>
      {hint && (
        <p id={hintId} className={HINT}>
          {hint}
        </p>
      )}
    </div>
  );
}
