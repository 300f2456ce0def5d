SET ROLE rempart_owner;

-- Closing a beneficiary's rights on a date (delta operation C): periods starting after
-- it disappear, periods running past it end on it. Pure, so it can run inside the merge.
CREATE FUNCTION close_rights(rights jsonb, closing date) RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$
  SELECT coalesce(jsonb_agg(
           jsonb_build_object('domain', r->>'domain', 'from', r->>'from', 'to',
             CASE WHEN r->>'to' IS NULL OR (r->>'to')::date > closing THEN closing::text ELSE r->>'to' END)
           ORDER BY ord), '[]'::jsonb)
    FROM jsonb_array_elements(rights) WITH ORDINALITY AS e(r, ord)
   WHERE (r->>'from')::date <= closing
$$;
