"use client";

import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { ApiError } from "@/lib/web/fetch-json";
import { FOCUS_RING } from "./focus";

interface Props {
  label: string;
  /** A new value (e.g. another range) clears the error and tries again. */
  resetKey: string;
  children: ReactNode;
}

/**
 * One widget's error boundary: a failed query shows its message in place of the widget
 * and leaves the rest of the tab working. The segment's error.tsx catches the rest.
 */
export function WidgetErrorBoundary(props: Props) {
  return <QueryErrorResetBoundary>{({ reset }) => <Boundary {...props} onReset={reset} />}</QueryErrorResetBoundary>;
}

class Boundary extends Component<Props & { onReset: () => void }, { error: unknown; key: string }> {
  state = { error: null as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: unknown; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(`[${this.props.label}]`, error, info.componentStack);
  }

  retry = () => {
    this.props.onReset();
    this.setState({ error: null });
  };

  render() {
    if (this.state.error === null) return this.props.children;
    const { error } = this.state;
    // API errors carry a message meant for people (e.g. "end: must be after start").
    const message = error instanceof ApiError ? error.message : "The figures could not be loaded.";
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        <p className="font-medium">{this.props.label} failed to load</p>
        <p className="mt-1">{message}</p>
        <button
          type="button"
          onClick={this.retry}
          className={`mt-3 rounded bg-white px-3 py-1 font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-100 ${FOCUS_RING}`}
        >
          Try again
        </button>
      </div>
    );
  }
}
