-- DREAM's population through the delivery month, one row per person: everyone with a benefit
-- week (whose Thursday lies in or before the month) or, since 2008, eIncome in or before the
-- month ("Siden 2008 har personer i ordinær beskæftigelse ligeledes været at finde i
-- databasen"), with residence, sex and age at the end of the month.
with benefit as (
    select distinct cpr from {{ ref('stg_dream_uger') }}
    where mandag + interval 3 day <= {{ month_end() }}
), income as (
    select distinct cpr from {{ ref('stg_eindkomst') }}
    where periode <= {{ month_start() }}
), people as (
    select cpr from benefit union select cpr from income
)
select
    s.cpr,
    s.kommune_kode,
    s.region_kode,
    s.koen,
    {{ age_at('s.foedselsdato', month_end()) }} as alder
from people p
join {{ ref('stg_personer') }} s on s.cpr = p.cpr
