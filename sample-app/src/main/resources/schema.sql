create table if not exists orders (id int primary key, item varchar(100) not null);
