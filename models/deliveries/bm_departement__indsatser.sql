-- Interventions (offers) active in the month.
select
    cast({{ pseudonym('t.cpr') }} as varchar) as pnr_pseudonym,
    cast(t.tilbud_kode as varchar) as tilbud_kode,
    cast(t.start_dato as date) as startdato,
    cast(case when t.slut_dato <= {{ month_end() }} then t.slut_dato end as date) as slutdato
from {{ ref('stg_tilbud') }} t
where t.start_dato <= {{ month_end() }} and t.slut_dato >= {{ month_start() }}
qualify row_number() over (partition by t.cpr, t.tilbud_kode, t.start_dato order by t.tilbud_id) = 1
