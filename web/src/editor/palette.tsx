/** Node palette: drag an item onto the canvas, or press it (keyboard too) to add it at the centre. */
import type { NodeType } from "../../../src/core/flow.ts";
import { NODE_INFO, PALETTE_TYPES } from "./node-catalog.ts";

export const DRAG_MIME = "application/x-parley-node";

export function Palette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  return (
    <nav className="palette" aria-label="Node palette">
      <h2 className="panel-title">Nodes</h2>
      {PALETTE_TYPES.map((type) => (
        <button
          key={type}
          type="button"
          className={`palette-item type-${type}`}
          draggable
          onDragStart={(event) => {
            event.dataTransfer.setData(DRAG_MIME, type);
            event.dataTransfer.effectAllowed = "move";
          }}
          onClick={() => onAdd(type)}
          title={NODE_INFO[type].description}
          data-testid={`palette-${type}`}
        >
          <span aria-hidden="true" className="flow-node-icon">
            {NODE_INFO[type].icon}
          </span>
          <span>{NODE_INFO[type].label}</span>
        </button>
      ))}
      <p className="hint palette-hint">
        Drag onto the canvas or click to add. Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+C / Ctrl+V copy nodes;
        Delete removes.
      </p>
    </nav>
  );
}
