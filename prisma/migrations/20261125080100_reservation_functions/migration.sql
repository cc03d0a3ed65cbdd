-- Reserving and releasing stock, each as one function so that the whole
-- transaction (lock, check, update, ledger, outbox) is a single round trip.
-- Called as `SELECT reserve_stock(...)` outside an explicit transaction, the
-- statement is its own transaction; set_config(..., true) is the function
-- form of SET LOCAL and lasts until that transaction ends.
--
-- Deadlocks are impossible between these functions: every one of them takes
-- item locks in ascending id order, and a release takes its reservation row
-- before any item row, while a reservation never locks an existing
-- reservation row.

CREATE FUNCTION reserve_stock(
  p_order_ref        text,
  p_lines            jsonb,   -- [{"itemId": int, "qty": int}, ...], ids unique
  p_actor_id         integer,
  p_idempotency_key  uuid,
  p_request_hash     text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_reservation reservations%ROWTYPE;
  v_item_ids    integer[];
  v_qtys        integer[];
  v_unknown     jsonb;
  v_shortages   jsonb;
  v_changed     jsonb;
BEGIN
  -- Wait at most 5 s for a row another transaction holds; then 55P03.
  PERFORM set_config('lock_timeout', '5s', true);

  IF p_idempotency_key IS NOT NULL THEN
    SELECT * INTO v_reservation FROM reservations WHERE idempotency_key = p_idempotency_key;
    IF FOUND THEN
      RETURN jsonb_build_object(
        'outcome', 'replayed',
        'reservationId', v_reservation.id,
        'requestHash', v_reservation.request_hash,
        'createdBy', v_reservation.created_by);
    END IF;
  END IF;

  -- The request's lines as two parallel arrays sorted by item id.
  SELECT array_agg((line ->> 'itemId')::integer ORDER BY (line ->> 'itemId')::integer),
         array_agg((line ->> 'qty')::integer ORDER BY (line ->> 'itemId')::integer)
    INTO v_item_ids, v_qtys
  FROM jsonb_array_elements(p_lines) AS line;

  -- Lock every requested row in ascending id order, whatever order the
  -- request listed them in.
  PERFORM 1 FROM inventory_items WHERE id = ANY (v_item_ids) ORDER BY id FOR UPDATE;

  SELECT jsonb_agg(r.item_id ORDER BY r.item_id) INTO v_unknown
  FROM unnest(v_item_ids, v_qtys) AS r (item_id, qty)
  WHERE NOT EXISTS (SELECT 1 FROM inventory_items i WHERE i.id = r.item_id);
  IF v_unknown IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'unknown_items', 'itemIds', v_unknown);
  END IF;

  -- All or nothing: with the rows locked, every line is checked before any
  -- is changed.
  SELECT jsonb_agg(jsonb_build_object(
           'itemId', i.id, 'sku', i.sku, 'name', i.name, 'unit', i.unit,
           'requested', r.qty, 'available', i.stock_qty - i.reserved_qty) ORDER BY i.id)
    INTO v_shortages
  FROM unnest(v_item_ids, v_qtys) AS r (item_id, qty) JOIN inventory_items i ON i.id = r.item_id
  WHERE i.stock_qty - i.reserved_qty < r.qty;
  IF v_shortages IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'insufficient_stock', 'shortages', v_shortages);
  END IF;

  INSERT INTO reservations (order_ref, created_by, idempotency_key, request_hash)
  VALUES (p_order_ref, p_actor_id, p_idempotency_key, p_request_hash)
  RETURNING * INTO v_reservation;

  INSERT INTO reservation_lines (reservation_id, item_id, qty)
  SELECT v_reservation.id, r.item_id, r.qty FROM unnest(v_item_ids, v_qtys) AS r (item_id, qty);

  -- The availability condition is repeated in the UPDATE itself, and the
  -- CHECK constraint stands behind both.
  WITH updated AS (
    UPDATE inventory_items i
    SET reserved_qty = i.reserved_qty + r.qty, updated_at = now()
    FROM unnest(v_item_ids, v_qtys) AS r (item_id, qty)
    WHERE i.id = r.item_id AND i.stock_qty - i.reserved_qty >= r.qty
    RETURNING i.id, i.stock_qty, i.reserved_qty, r.qty
  ), ledger AS (
    INSERT INTO inventory_movements (item_id, kind, qty, stock_after, reserved_after, reservation_id, reference, actor_id)
    SELECT id, 'reserve', qty, stock_qty, reserved_qty, v_reservation.id, p_order_ref, p_actor_id FROM updated
  )
  SELECT jsonb_agg(jsonb_build_object(
           'itemId', id, 'stockQty', stock_qty, 'reservedQty', reserved_qty,
           'availableQty', stock_qty - reserved_qty) ORDER BY id)
    INTO v_changed
  FROM updated;

  IF jsonb_array_length(v_changed) <> array_length(v_item_ids, 1) THEN
    -- Cannot happen while the rows are locked; if it ever does, undo all.
    RAISE EXCEPTION 'reservation % changed % of % lines', v_reservation.id,
      jsonb_array_length(v_changed), array_length(v_item_ids, 1);
  END IF;

  INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
  VALUES ('inventory', v_reservation.id::text, 'inventory.changed',
          jsonb_build_object('reason', 'reserve', 'reservationId', v_reservation.id, 'items', v_changed));

  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
  VALUES (p_actor_id, 'reservation.create', 'reservation', v_reservation.id::text,
          jsonb_build_object('orderRef', p_order_ref, 'lines', p_lines));

  -- The reservation as the API shows it, so the caller needs no second query.
  RETURN jsonb_build_object(
    'outcome', 'reserved',
    'reservation', jsonb_build_object(
      'id', v_reservation.id,
      'status', v_reservation.status,
      'orderRef', v_reservation.order_ref,
      'createdAt', v_reservation.created_at,
      'createdBy', (SELECT username FROM users WHERE id = p_actor_id),
      'releasedAt', NULL,
      'lines', (SELECT jsonb_agg(jsonb_build_object(
                         'itemId', i.id, 'sku', i.sku, 'name', i.name, 'unit', i.unit, 'qty', r.qty) ORDER BY i.id)
                FROM unnest(v_item_ids, v_qtys) AS r (item_id, qty) JOIN inventory_items i ON i.id = r.item_id)));
END;
$$;

CREATE FUNCTION release_reservation(p_reservation_id uuid, p_actor_id integer) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_status  text;
  v_changed jsonb;
BEGIN
  PERFORM set_config('lock_timeout', '5s', true);

  -- The reservation row first (two releases of the same reservation queue
  -- here), then its items in ascending id order.
  SELECT status INTO v_status FROM reservations WHERE id = p_reservation_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'not_found');
  END IF;
  IF v_status <> 'active' THEN
    RETURN jsonb_build_object('outcome', 'not_active', 'status', v_status);
  END IF;

  PERFORM 1 FROM inventory_items
  WHERE id IN (SELECT item_id FROM reservation_lines WHERE reservation_id = p_reservation_id)
  ORDER BY id FOR UPDATE;

  WITH updated AS (
    UPDATE inventory_items i
    SET reserved_qty = i.reserved_qty - l.qty, updated_at = now()
    FROM reservation_lines l
    WHERE l.reservation_id = p_reservation_id AND i.id = l.item_id
    RETURNING i.id, i.stock_qty, i.reserved_qty, l.qty
  ), ledger AS (
    INSERT INTO inventory_movements (item_id, kind, qty, stock_after, reserved_after, reservation_id, actor_id)
    SELECT id, 'release', qty, stock_qty, reserved_qty, p_reservation_id, p_actor_id FROM updated
  )
  SELECT jsonb_agg(jsonb_build_object(
           'itemId', id, 'stockQty', stock_qty, 'reservedQty', reserved_qty,
           'availableQty', stock_qty - reserved_qty) ORDER BY id)
    INTO v_changed
  FROM updated;

  UPDATE reservations SET status = 'released', released_at = now(), released_by = p_actor_id
  WHERE id = p_reservation_id;

  INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
  VALUES ('inventory', p_reservation_id::text, 'inventory.changed',
          jsonb_build_object('reason', 'release', 'reservationId', p_reservation_id, 'items', v_changed));

  INSERT INTO audit_log (actor_id, action, target_type, target_id)
  VALUES (p_actor_id, 'reservation.release', 'reservation', p_reservation_id::text);

  RETURN jsonb_build_object('outcome', 'released', 'items', v_changed);
END;
$$;
